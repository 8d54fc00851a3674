export { WEBHOOK_TOPICS, ALL_TOPICS, type WebhookTopic, type WebhookEventDraft } from "./topics";
export { recordWebhookEvents, webhookEventDraft } from "./record-webhook-events";
export { requestWebhookDispatch, WEBHOOK_DISPATCH_TASK } from "./request-webhook-dispatch";
export { signatureHeader, computeSignature, SIGNATURE_HEADER } from "./signature";
export {
  createWebhookEndpoint,
  listWebhookEndpoints,
  getWebhookEndpointOrThrow,
  deleteWebhookEndpoint,
  type WebhookEndpoint,
  type WebhookEndpointWithDeliveries,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from "./webhook-endpoints";
export { redeliverWebhookDelivery } from "./redeliver-webhook";
export { rotateWebhookSecret } from "./rotate-webhook-secret";
export { fanOutWebhookEvents } from "./fan-out-webhook-events";
export { deliverDueWebhooks, envelopeBody, retryDelaySeconds, MAX_DELIVERY_ATTEMPTS, type DeliveryRun } from "./deliver-webhooks";
export { dispatchWebhooks, type DispatchRun } from "./dispatch-webhooks";
