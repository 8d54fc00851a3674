import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { prepareMagicLinkRequest } from "@/lib/auth/magic-link-request";

type Context = { params: Promise<{ nextauth: string[] }> };

export function GET(request: NextRequest, context: Context): Promise<Response> {
  return NextAuth(request, context, authOptions());
}

/** next-auth, except that a magic-link request is rate-limited and scoped to its platform first. */
export async function POST(request: NextRequest, context: Context): Promise<Response> {
  const { nextauth } = await context.params;
  if (nextauth[0] !== "signin" || nextauth[1] !== "email") return NextAuth(request, context, authOptions());

  const prepared = await prepareMagicLinkRequest(new URLSearchParams(await request.text()), request.headers);
  if ("response" in prepared) return prepared.response;
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/x-www-form-urlencoded");
  const rewritten = new NextRequest(request.url, { method: "POST", headers, body: prepared.body });
  return NextAuth(rewritten, context, authOptions());
}
