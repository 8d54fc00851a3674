import type { paths } from "../generated/openapi.js";

/**
 * Type-level bridge from the generated OpenAPI types (snake_case, as on the wire) to the
 * SDK's camelCase surface. Every request and response type of the SDK is derived here from
 * `paths`, so a change of the API that the SDK does not follow fails compilation.
 */

/**
 * Keys whose values are the platform's own free-form objects, sent and returned exactly
 * as written (never re-cased): event `data`, every `metadata`, and price `dimensions`
 * (keyed by `data` field names). Must match `PASS_THROUGH_KEYS` in casing.ts.
 */
export type PassThroughKey = "data" | "metadata" | "dimensions";

/** `credit_expires_at` → `creditExpiresAt`. */
export type CamelKey<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelKey<Tail>>}` : S;

/** Deep camelCase of a JSON type, leaving the values of pass-through keys alone. */
export type Camelize<T> = T extends readonly (infer Item)[]
  ? Camelize<Item>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelKey<K> : K]: K extends PassThroughKey ? T[K] : Camelize<T[K]> }
    : T;

export type HttpMethod = "get" | "post" | "patch" | "delete";

/** The API's paths that serve `M`: a typo or a removed endpoint fails compilation. */
export type PathWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

type Operation<M extends HttpMethod, P extends PathWith<M>> = Extract<paths[P][M], { responses: unknown }>;

type JsonOf<X> = X extends { content: { "application/json": infer Body } } ? Body : never;

/** The success (200/201) JSON body of an operation, as the API sends it. */
export type WireResponse<M extends HttpMethod, P extends PathWith<M>> = {
  [S in keyof Operation<M, P>["responses"]]: S extends 200 | 201 ? JsonOf<Operation<M, P>["responses"][S]> : never;
}[keyof Operation<M, P>["responses"]];

/** The JSON request body of an operation, as the API takes it. */
export type WireBody<M extends HttpMethod, P extends PathWith<M>> =
  Operation<M, P> extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;

/** The query parameters of an operation, as the API takes them. */
export type WireQuery<M extends HttpMethod, P extends PathWith<M>> =
  Operation<M, P> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

/** What an SDK method returns for the operation: the response in camelCase. */
export type ResponseOf<M extends HttpMethod, P extends PathWith<M>> = Camelize<WireResponse<M, P>>;
/** What an SDK method takes as its body: the request body in camelCase. */
export type BodyOf<M extends HttpMethod, P extends PathWith<M>> = Camelize<WireBody<M, P>>;
/** What an SDK method takes as query parameters, in camelCase. */
export type QueryOf<M extends HttpMethod, P extends PathWith<M>> = Camelize<WireQuery<M, P>>;
