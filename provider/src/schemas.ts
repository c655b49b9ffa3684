/**
 * The zod schemas of the CCE and ACK wire formats, exported for the emulator (which may reuse the
 * schemas and nothing else of the provider).
 */
export {};
