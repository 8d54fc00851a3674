import { afterAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { createTestPlatform } from "@/test/factories";
import { newId } from "@/lib/ids";
import { createOperator } from "./operators";
import { createOperatorSession, findOperatorSession, hashConsoleToken, newConsoleToken } from "./operator-sessions";
import { pruneConsoleSessions } from "./prune-console-sessions";

/** The hourly cleanup deletes console sessions and sign-in tokens past their expiry, and only those. */

afterAll(async () => {
  await closeDb();
});

describe("pruneConsoleSessions", () => {
  it("deletes expired sessions and sign-in tokens; live ones keep working", async () => {
    const platform = await createTestPlatform("Console cleanup");
    const operator = await createOperator(platform.platformId, { email: `${newId("p")}@ops.example`, role: "owner" });
    const live = await createOperatorSession(operator.id);
    const expired = await createOperatorSession(operator.id);
    await prisma().operatorSession.update({ where: { tokenHash: hashConsoleToken(expired.token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const freshToken = hashConsoleToken(newConsoleToken());
    const staleToken = hashConsoleToken(newConsoleToken());
    await prisma().operatorSignInToken.createMany({
      data: [
        { tokenHash: freshToken, operatorId: operator.id, expiresAt: new Date(Date.now() + 60_000) },
        { tokenHash: staleToken, operatorId: operator.id, expiresAt: new Date(Date.now() - 60_000) },
      ],
    });

    const pruned = await pruneConsoleSessions();
    expect(pruned.sessions).toBeGreaterThanOrEqual(1);
    expect(pruned.signInTokens).toBeGreaterThanOrEqual(1);

    const sessions = await prisma().operatorSession.findMany({ where: { operatorId: operator.id } });
    expect(sessions.map((s) => s.tokenHash)).toEqual([hashConsoleToken(live.token)]);
    expect(await findOperatorSession(live.token)).not.toBeNull();
    const tokens = await prisma().operatorSignInToken.findMany({ where: { operatorId: operator.id } });
    expect(tokens.map((t) => t.tokenHash)).toEqual([freshToken]);
  });
});
