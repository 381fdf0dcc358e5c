export const ROOT: string;
export const SERVER_ENTRY: string;
export function ensureBuild(): void;
