export * from "./decimal";
export * from "./assets";
export * from "./limits";
