export class EnvFileError extends Error {}
export function envFileProblems(text: string): string[];
export function readDotEnv(dir?: string): string | null;
export function readDotEnvOrExit(dir?: string): string | null;
