/**
 * The request bodies of ../shared/seed/topups-only-model.txt, verbatim (the public page our
 * API follows). Tests send them unchanged, only swapping in real customer ids.
 */
export const seedAdjustment = {
  transaction_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  account_name: "default",
  asset: "USD",
  amount: 25,
  description: "Ad-hoc usage",
  reason: "external_topup",
  expires_at: "2024-07-29T15:51:28.071Z",
  metadata: {
    psp: "stripe",
    payment_intent: "pi_3RjbbNJNSIruR1rb0GwMGpH0",
  },
};

export function seedEvents(customerId: string) {
  return {
    customer_id: customerId,
    events: [
      {
        id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        event_type: "message_completed",
        occurred_at: "2024-07-29T15:51:28.071Z",
        subject: "chat_5f53d23a4958",
        description: "Chat message completed",
        data: {
          model: "gpt-4-1",
          input_tokens: 2353,
          output_tokens: 34697,
        },
      },
    ],
  };
}

export function seedTopUp(customerId: string) {
  return {
    customer_id: customerId,
    amount: 50,
    currency: "USD",
    description: "Image generation credits",
    destination: {
      account_name: "default",
      asset: "USD",
      exchange_rate: 1000000,
    },
    credit_expires_at: "2024-07-29T15:51:28.071Z",
    return_url: "https://glitch.ai/account",
    failure_url: "https://glitch.ai/callbacks/credyt-failure",
    metadata: {
      order_id: "order_12345",
    },
  };
}

/** PRODUCT.md's `POST /products` example, verbatim. */
export const productExample = {
  name: "Chat",
  code: "chat",
  publish: true,
  prices: [
    {
      name: "Input tokens",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "message_completed", usage_type: "volume", volume_field: "input_tokens", billable_dimensions: ["model"] },
      pricing: [
        {
          asset: "USD",
          values: [
            { dimensions: { model: "gpt-4-1" }, volume_rate: 1.25, package_size: 1000000 },
            { dimensions: { model: "*" }, volume_rate: 2.5, package_size: 1000000 },
          ],
        },
      ],
    },
    {
      name: "Requests",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "api_call", usage_type: "unit" },
      pricing: [{ asset: "CREDIT", values: [{ unit_price: 1 }] }],
    },
  ],
};

/** A published product with one `unit` price: `unitPrice` of `asset` per `eventType` event. */
export function unitPriceProduct(input: { code: string; name: string; priceName: string; eventType: string; unitPrice: number; asset?: string }) {
  return {
    name: input.name,
    code: input.code,
    publish: true,
    prices: [
      {
        name: input.priceName,
        type: "usage_based",
        billing_model: { type: "real_time" },
        usage_calculation: { event_type: input.eventType, usage_type: "unit" },
        pricing: [{ asset: input.asset ?? "USD", values: [{ unit_price: input.unitPrice }] }],
      },
    ],
  };
}
