"use strict";
/**
 * The emulator bench's baseline, run as its own process like the emulator: a bare `node:http` server
 * answering a fixed JSON body of `argv[2]` bytes to any request, without checking signatures. Prints
 * `listening on http://127.0.0.1:<port>` first, as the emulator's CLI does.
 */
const http = require("node:http");

const size = Number(process.argv[2] ?? 0);
const body = Buffer.from(JSON.stringify({ padding: "x".repeat(Math.max(0, size - 15)) }));
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
