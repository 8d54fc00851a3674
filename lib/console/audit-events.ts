import { createHash } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { Page } from "@/lib/pagination";
import type { ConsoleContext } from "./operator-sessions";

export interface AuditEvent {
  id: string;
  operatorId: string;
  operatorEmail: string;
  liveMode: boolean;
  action: string;
  targetType: string;
  targetId: string;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Records a console write: who (the operator and their address at the time), what, on
 * which object, in the console's platform and mode. Every console write calls it after
 * its domain call succeeded. A write that is idempotent itself (a refund under Stripe's
 * idempotency key) passes the same key as `idempotencyKey`: the row's id is derived from
 * it, so a repeated submit that changed nothing records nothing either (ON CONFLICT DO
 * NOTHING, so two racing submits leave one row too).
 */
export async function recordAuditEvent(
  ctx: ConsoleContext,
  event: { action: string; targetType: string; targetId: string; detail?: Record<string, unknown>; idempotencyKey?: string },
): Promise<void> {
  const data = {
    id: event.idempotencyKey === undefined ? newId("audit") : auditIdOf(ctx.platform.id, event.idempotencyKey),
    platformId: ctx.platform.id,
    liveMode: ctx.liveMode,
    operatorId: ctx.operator.id,
    operatorEmail: ctx.operator.email,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    detail: (event.detail ?? {}) as Prisma.InputJsonValue,
  };
  if (event.idempotencyKey !== undefined) {
    await prisma().auditEvent.createMany({ data: [data], skipDuplicates: true });
    return;
  }
  await prisma().auditEvent.create({ data });
}

/** `audit_` and 26 base32 characters of SHA-256(platform, key): the shape of newId's ids, one per key. */
function auditIdOf(platformId: string, key: string): string {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  const digest = createHash("sha256").update(`${platformId}\n${key}`, "utf8").digest();
  let out = "";
  for (let i = 0; i < 26; i++) out += alphabet[digest[i]! & 31];
  return `audit_${out}`;
}

/** The platform's audit log, newest first (both modes: who did what matters in either). */
export async function listAuditEvents(platformId: string, page: Page): Promise<{ items: AuditEvent[]; total: number }> {
  const where = { platformId };
  const [rows, total] = await Promise.all([
    prisma().auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: page.limit, skip: page.offset }),
    prisma().auditEvent.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      operatorId: r.operatorId,
      operatorEmail: r.operatorEmail,
      liveMode: r.liveMode,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      detail: (r.detail ?? {}) as Record<string, unknown>,
      createdAt: r.createdAt,
    })),
    total,
  };
}
