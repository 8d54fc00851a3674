import { unknownApiPath } from "@/lib/api/fallback";

// Any /api path no other route file matches (/api/v1 has its own): a JSON 404 problem
// for every method, never Next's HTML page or its automatic OPTIONS.
export const GET = unknownApiPath;
export const HEAD = unknownApiPath;
export const POST = unknownApiPath;
export const PUT = unknownApiPath;
export const PATCH = unknownApiPath;
export const DELETE = unknownApiPath;
export const OPTIONS = unknownApiPath;
