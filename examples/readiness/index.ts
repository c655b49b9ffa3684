// The Pulumi program: its stack outputs are what `readinessProgram` returns (see program.ts).
import { readinessProgram } from "./program";

export = readinessProgram;
