import { cardFromFields } from "./api-params";
import { StripeApiError } from "./errors";
import { html, redirect, type EmulatorRequest, type Reply } from "./http";
import type { LineItemObject, SessionObject } from "./objects";
import type { EmulatorState } from "./state";

/**
 * The hosted payment page a Checkout Session's `url` points at. It shows what is being
 * paid and two buttons, "Pay" and "Decline" (plain forms, so it works without JavaScript
 * and Playwright finds them by role and name):
 * - Pay: the session completes as paid, then 303 to `success_url` (with
 *   `{CHECKOUT_SESSION_ID}` filled in).
 * - Decline: the payment fails (see `EmulatorState.decline`), then 303 to `cancel_url`.
 * An expired or already completed session's page says so and offers no buttons.
 *
 * A `mode: "setup"` session's page is a card form instead (card number, MM / YY, CVC, and
 * "Save card"; Stripe's test card numbers): a valid test card is saved to the session's
 * customer (see `EmulatorState.completeSetup`), then 303 to `success_url`. A bad card shows
 * the page again with Stripe's message (HTTP 402) and saves nothing. "Cancel" goes back to
 * `cancel_url` and leaves the session open, as Checkout's back link does.
 */
export function checkoutPage(state: EmulatorState, request: EmulatorRequest, sessionId: string, action?: string): Reply {
  state.expireDueSessions();
  const session = state.sessions.get(sessionId);
  if (!session) return html(404, layout("Checkout session not found", `<p>No checkout session <code>${escape(sessionId)}</code> exists on this emulator.</p>`));
  if (request.method === "GET" && action === undefined) return html(200, sessionPage(state, session, state.lineItems.get(sessionId) ?? []));
  if (session.mode === "setup") return setupAction(state, request, session, action);
  if (request.method !== "POST" || (action !== "pay" && action !== "decline")) {
    return html(405, layout("Not allowed", "<p>Use the buttons on the checkout page.</p>"));
  }
  try {
    if (action === "pay") state.pay(sessionId);
    else state.decline(sessionId);
  } catch (error) {
    if (error instanceof StripeApiError) return html(409, sessionPage(state, session, state.lineItems.get(sessionId) ?? []));
    throw error;
  }
  const target = action === "pay" ? session.success_url : session.cancel_url;
  if (target) return redirect(target.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
  return html(200, sessionPage(state, session, state.lineItems.get(sessionId) ?? []));
}

function setupAction(state: EmulatorState, request: EmulatorRequest, session: SessionObject, action: string | undefined): Reply {
  if (request.method !== "POST" || (action !== "setup" && action !== "cancel")) {
    return html(405, layout("Not allowed", "<p>Use the form on the checkout page.</p>"));
  }
  if (session.status !== "open") return html(409, setupPage(session));
  if (action === "cancel") {
    return session.cancel_url ? redirect(session.cancel_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id)) : html(200, setupPage(session));
  }
  const form = new URLSearchParams(request.body);
  const typed = { number: form.get("cardnumber") ?? "", expiry: form.get("exp-date") ?? "", cvc: form.get("cvc") ?? "" };
  try {
    const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(typed.expiry);
    if (!expiry) throw new StripeApiError(402, "card_error", "Your card's expiration date is incomplete.", "exp_month", "incomplete_expiry");
    const card = cardFromFields({ number: typed.number, expMonth: Number(expiry[1]), expYear: Number(expiry[2]), cvc: typed.cvc.trim() }, new Date(state.now() * 1000));
    state.completeSetup(session.id, card);
  } catch (error) {
    if (error instanceof StripeApiError) return html(error.status === 402 ? 402 : 409, setupPage(session, { message: error.message, typed }));
    throw error;
  }
  return session.success_url ? redirect(session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id)) : html(200, setupPage(session));
}

function setupPage(session: SessionObject, failed?: { message: string; typed: { number: string; expiry: string; cvc: string } }): string {
  if (session.status === "expired") return layout("Checkout session expired", `<p role="status">This checkout session has expired.</p>`);
  if (session.status === "complete") return layout("Card saved", `<p role="status">This checkout session is complete: the card was saved.</p>`);
  const action = (name: string) => `/checkout/${encodeURIComponent(session.id)}/${name}`;
  const value = (text: string | undefined) => (text ? ` value="${escape(text)}"` : "");
  const error = failed ? `<p role="alert" class="error">${escape(failed.message)}</p>` : "";
  const email = session.customer_email ? `<p>Saving a card for ${escape(session.customer_email)}</p>` : "";
  return layout(
    "Save a card",
    `${email}${error}
    <form method="post" action="${action("setup")}" class="card">
      <label>Card number <input name="cardnumber" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required${value(failed?.typed.number)}></label>
      <div class="row">
        <label>Expiry (MM / YY) <input name="exp-date" autocomplete="cc-exp" placeholder="MM / YY" required${value(failed?.typed.expiry)}></label>
        <label>CVC <input name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required${value(failed?.typed.cvc)}></label>
      </div>
      <button type="submit" class="pay">Save card</button>
    </form>
    <form method="post" action="${action("cancel")}"><button type="submit" class="decline">Cancel</button></form>
    <p class="note">Stripe emulator test page: use a Stripe test card (4242 4242 4242 4242, any future date, any CVC). No real card is saved.</p>`,
  );
}

function sessionPage(state: EmulatorState, session: SessionObject, items: LineItemObject[]): string {
  if (session.mode === "setup") return setupPage(session);
  const total = formatAmount(session.amount_total ?? 0, session.currency ?? "usd");
  const lines = items
    .map((item) => `<li><span>${escape(item.description)}${item.quantity > 1 ? ` × ${item.quantity}` : ""}</span><span>${escape(formatAmount(item.amount_total, item.currency))}</span></li>`)
    .join("");
  const summary = `<ul class="items">${lines}</ul><p class="total" data-testid="amount">Total <strong>${escape(total)}</strong></p>`;
  if (session.status === "expired") {
    return layout("Checkout session expired", `${summary}<p role="status">This checkout session has expired.</p>`);
  }
  if (session.status === "complete") {
    const outcome = session.payment_status === "paid" ? "This checkout session is complete: the payment succeeded." : "This checkout session is complete: the payment did not go through.";
    return layout("Checkout complete", `${summary}<p role="status">${outcome}</p>`);
  }
  const buttons = `
    <form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay"><button type="submit" class="pay">Pay</button></form>
    <form method="post" action="/checkout/${encodeURIComponent(session.id)}/decline"><button type="submit" class="decline">Decline</button></form>`;
  const email = session.customer_email ? `<p>Paying as ${escape(session.customer_email)}</p>` : "";
  const saves = state.savesPayingCard(session.id) ? `<p data-testid="saves-card">Pay also saves the card (Visa ending 4242) for future payments.</p>` : "";
  return layout(`Pay ${total}`, `${summary}${email}${saves}<div class="actions">${buttons}</div>
    <p class="note">Stripe emulator test page: no real card is charged.</p>`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Stripe emulator</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
  main { max-width: 28rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 4px 16px #0001; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .items { list-style: none; padding: 0; } .items li { display: flex; justify-content: space-between; padding: .25rem 0; }
  .total { font-size: 1.2rem; border-top: 1px solid #e3e8ee; padding-top: .75rem; }
  .actions { display: flex; gap: .75rem; } .actions form { flex: 1; }
  button { width: 100%; padding: .75rem; font-size: 1rem; border-radius: 6px; border: 0; cursor: pointer; }
  .pay { background: #635bff; color: #fff; } .decline { background: #e3e8ee; color: #1a1f36; }
  .note { color: #697386; font-size: .8rem; }
  .card label { display: block; margin-bottom: .75rem; font-size: .9rem; } .card input { display: block; width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #e3e8ee; border-radius: 6px; margin-top: .25rem; }
  .card .row { display: flex; gap: .75rem; } .card .row label { flex: 1; } .card + form { margin-top: .75rem; }
  .error { color: #df1b41; }
</style>
</head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`;
}

/** `2000 usd` → `$20.00 USD` (minor units by the currency's own exponent, `¥2,000 JPY`). */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  try {
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return `${format.format(amount / 10 ** digits)} ${code}`;
  } catch {
    return `${amount} ${code} (minor units)`;
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
