/** Escaping for the markup formats (JUnit XML and HTML): text and attribute values. */
export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
      // Characters XML 1.0 forbids outright (its Char production): control characters from a vendor
      // message, the noncharacters U+FFFE and U+FFFF, and halves of a surrogate pair standing alone
      // (`u` flag: a whole pair is one code point and is kept).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/gu, "")
  );
}
