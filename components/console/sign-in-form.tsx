"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorFor, sendJson, type FieldError } from "./send-json";

/** Asks for a console sign-in link; the answer is the same whether or not the address is an operator. */
export function ConsoleSignInForm() {
  const [email, setEmail] = useState("");
  const [state, setState] = useState<{ sent?: boolean; error?: string; errors?: FieldError[]; pending?: boolean }>({});
  if (state.sent) {
    return (
      <p role="status" data-testid="console-check-email">
        Check your email: if <strong>{email}</strong> is an operator, a sign-in link is on its way. It works once, for 15 minutes.
      </p>
    );
  }
  const emailError = errorFor(state.errors, "email");
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setState({ pending: true });
        const answer = await sendJson("POST", "/api/console/sign-in", { email });
        setState(answer.ok ? { sent: true } : { error: answer.body.detail, errors: answer.body.errors });
      }}
    >
      <label className="block text-sm font-medium" htmlFor="console-email">
        Work email
      </label>
      <input
        id="console-email"
        type="email"
        required
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        aria-invalid={emailError ? true : undefined}
        aria-describedby={emailError ? "console-email-error" : undefined}
        className="w-full rounded-lg border border-zinc-300 px-3 py-2"
      />
      {emailError && (
        <p id="console-email-error" className="text-sm text-red-700">
          {emailError}
        </p>
      )}
      {state.error && !emailError && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={state.pending}>
        {state.pending ? "Sending…" : "Email me a sign-in link"}
      </Button>
    </form>
  );
}

/** The confirmation page's button: posts the emailed token, then opens the console. */
export function ConsoleConfirmButton({ token }: { token: string }) {
  const [state, setState] = useState<{ pending?: boolean; error?: string }>({});
  return (
    <div className="space-y-3">
      <Button
        type="button"
        className="w-full"
        disabled={state.pending}
        onClick={async () => {
          setState({ pending: true });
          const answer = await sendJson<{ redirect?: string }>("POST", "/api/console/sign-in/confirm", { token });
          if (answer.ok) window.location.assign(answer.body.redirect ?? "/console");
          else setState({ error: answer.body.detail ?? "Sign-in failed." });
        }}
      >
        {state.pending ? "Signing in…" : "Sign in to the console"}
      </Button>
      {state.error && (
        <p role="alert" className="text-sm text-red-700">
          {state.error} <a href="/console/sign-in" className="underline">Ask for a new link</a>
        </p>
      )}
    </div>
  );
}
