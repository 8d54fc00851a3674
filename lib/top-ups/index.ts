export { initiateTopUp, topUpDestination, TOP_UP_LIFETIME_SECONDS, type InitiateTopUpInput, type InitiateTopUpOptions, type InitiatedTopUp, type TopUpDestination } from "./initiate-top-up";
export { getTopUpOrThrow, listTopUps } from "./get-top-up";
export { topUpFromRow, type TopUp, type TopUpReview, type TopUpReviewReason, type TopUpStatus } from "./top-up";
export { convertTopUp, toMinorUnits, fromMinorUnits, topUpCurrencyOrThrow, type TopUpConversion } from "./conversion";
export { creditPaidTopUp, reverseRefundedTopUp, recordTopUpState, topUpCreditKey, type SettlementOutcome } from "./settle-top-up";
export { expireOverdueTopUps, type ExpiryRun } from "./expire-overdue-top-ups";
export { findTopUp, isStripeEventRecorded, type TopUpRecord, type StripeEventRef } from "./top-up-records";
export { holdTopUpForReview, isOpenReview, withholdsCredit, paymentMismatch, refundMismatch, type ReviewFinding, type StripePayment } from "./review-top-up";
export { listOpenTopUpReviews, resolveTopUpReview, type ReviewDecision } from "./resolve-top-up-review";
