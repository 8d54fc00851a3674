import type { ButtonHTMLAttributes } from "react";

/** A button in the platform's brand colour (the `--brand` CSS variable set by the portal layout). */
export function Button({ className = "", variant = "primary", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" }) {
  const look =
    variant === "primary"
      ? "bg-[var(--brand,#18181b)] text-white hover:opacity-90"
      : "border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50";
  return (
    <button
      className={`inline-flex min-h-10 items-center justify-center rounded-lg px-4 py-2 text-sm font-medium transition disabled:cursor-not-allowed disabled:opacity-50 ${look} ${className}`}
      {...props}
    />
  );
}
