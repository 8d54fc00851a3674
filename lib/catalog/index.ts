export * from "./types";
export { createAsset, type CreateAssetInput } from "./create-asset";
export { findAsset, getAssetOrThrow, resolveAsset, unknownAssetCodes } from "./get-asset";
export { listAssets } from "./list-assets";
export { quoteAsset, unitsForAmount, type AssetQuote, type QuoteInput } from "./quote-asset";
export { createProduct, type CreateProductInput } from "./create-product";
export { createProductVersion, type CreateProductVersionInput } from "./create-product-version";
export { updateProductVersion, type UpdateProductVersionInput } from "./update-product-version";
export { validatePrices } from "./validate-prices";
export { getProductOrThrow, getProductVersionOrThrow } from "./get-product";
export { listProducts } from "./list-products";
export { simulateUsage, type SimulatedEvent } from "./simulate-usage";
export { subscribedPrices } from "./subscribed-prices";
export {
  subscribeCustomer,
  resolveSubscriptions,
  type SubscriptionRequest,
  type CustomerSubscription,
} from "./subscribe-customer";
export { listCustomerSubscriptions, listSubscriptionsOfCustomers } from "./list-customer-subscriptions";
export { invalidateCatalogCache, parseCatalogChange, type CatalogChange } from "./catalog-cache";
export { toSubscribedPrices } from "./price-definition";
