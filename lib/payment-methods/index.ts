export { ensureStripeCustomer, storedStripeCustomerId } from "./ensure-stripe-customer";
export { listSavedCards, defaultCard } from "./list-saved-cards";
export { findCustomerCard } from "./find-customer-card";
export { startCardSetup } from "./start-card-setup";
export { setDefaultCard } from "./set-default-card";
export { removeCard } from "./remove-card";
export type { SavedCard } from "./saved-card";
