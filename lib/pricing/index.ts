export * from "./types";
export * from "./compute-fees";
