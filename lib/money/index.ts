export * from "./decimal";
export * from "./assets";
