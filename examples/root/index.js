// Placeholder root program: the SDK issue replaces it with a readiness report against the emulator.
module.exports = {};
