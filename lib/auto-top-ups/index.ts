// Loading this module registers auto top-up's ledger listener (auto-top-up-trigger.ts).
import "./auto-top-up-trigger";

export { type AutoTopUp, type AutoTopUpSettings, type AutoTopUpStatus, type DisabledReason, MAX_CONSECUTIVE_FAILURES } from "./auto-top-up";
export { getAutoTopUpSettings, updateAutoTopUpSettings, disableAutoTopUp, stripeMinimumCharge, type AutoTopUpSettingsInput } from "./settings";
export { getAutoTopUp, type AutoTopUpView } from "./get-auto-top-up";
export { processAutoTopUps, attemptAutoTopUp, RECONCILE_AFTER_MS, type AutoTopUpRun, type AttemptOutcome } from "./process-auto-top-ups";
export { handleAutoTopUpStripeEvent, type PaymentIntentEventResult } from "./handle-payment-intent-event";
export { AUTO_TOP_UP_TASK, requestAutoTopUpRun } from "./request-auto-top-up-run";
