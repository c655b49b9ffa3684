/** The HTTP layer of @upgrade-guard/provider: what the package entry point exports of it. */
export { type Dispatcher, type TransportClock, type TransportLogEntry, type TransportOptions } from "./types";
export { createTransport } from "./transport";
export { systemClock } from "./clock";
