import { unknownEndpoint } from "@/lib/api/fallback";

// Any /api/v1 path no route file matches: a JSON 404 problem, never an HTML page.
export const GET = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
