"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorFor, sendJson, type FieldError } from "./send-json";

const inputClass = "w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm";

/** Owners invite an operator by email with a role; field errors are the server's. */
export function InviteOperatorForm({ roles }: { roles: string[] }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const emailError = errorFor(errors, "email");
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={async (event) => {
        event.preventDefault();
        const answer = await sendJson("POST", "/api/console/operators", { email, role });
        if (answer.ok) {
          setErrors([]);
          setMessage(`Invited ${email}: a sign-in link is on its way.`);
          setEmail("");
          router.refresh();
        } else {
          setErrors(answer.body.errors ?? []);
          setMessage(answer.body.errors?.length ? null : (answer.body.detail ?? "Refused."));
        }
      }}
    >
      <div className="min-w-64 grow">
        <label htmlFor="invite-email" className="block text-sm font-medium">
          Email
        </label>
        <input id="invite-email" type="email" required className={inputClass} value={email} onChange={(e) => setEmail(e.target.value)} />
        {emailError && <p className="mt-1 text-sm text-red-700">{emailError}</p>}
      </div>
      <div>
        <label htmlFor="invite-role" className="block text-sm font-medium">
          Role
        </label>
        <select id="invite-role" className={inputClass} value={role} onChange={(e) => setRole(e.target.value)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit">Invite</Button>
      {message && (
        <p role="status" className="w-full text-sm">
          {message}
        </p>
      )}
    </form>
  );
}

export function RemoveOperatorButton({ operatorId, email }: { operatorId: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <Button
        type="button"
        variant="secondary"
        aria-label={`Remove ${email}`}
        onClick={async () => {
          if (!window.confirm(`Remove ${email} from the console?`)) return;
          const answer = await sendJson("POST", `/api/console/operators/${operatorId}/remove`);
          if (answer.ok) router.refresh();
          else setError(answer.body.detail ?? "Refused.");
        }}
      >
        Remove
      </Button>
      {error && <span className="ml-2 text-sm text-red-700">{error}</span>}
    </span>
  );
}
