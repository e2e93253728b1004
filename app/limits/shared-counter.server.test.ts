import { EventEmitter } from "node:events";
import { describe, expect, test } from "vitest";
import { createPrimaryClient, serveWorkerHits, type PrimaryChannel } from "./shared-counter.server";
import { createWindowCounter } from "./window-counter";

/**
 * The IPC protocol in one process: `cluster` is an emitter of (worker,
 * message), each worker's `process` an emitter of replies. Messages are
 * cloned as they would be by structured serialisation.
 */
function fakeCluster() {
  const cluster = new EventEmitter();
  const worker = (): PrimaryChannel => {
    const channel = new EventEmitter();
    const reply = { send: (message: unknown, done: (error: Error | null) => void) => {
      setImmediate(() => channel.emit("message", structuredClone(message)));
      done(null);
    } };
    return {
      send: (message, done) => {
        setImmediate(() => cluster.emit("message", reply, structuredClone(message)));
        done(null);
      },
      on: (event, listener) => channel.on(event, listener),
    };
  };
  return { cluster, worker };
}

const hit = { key: "start:abc", quota: 3, windowMs: 60_000 };

describe("the primary's counters over IPC", () => {
  test("hits from two workers count against one budget", async () => {
    const { cluster, worker } = fakeCluster();
    serveWorkerHits(cluster, createWindowCounter());
    const askFromOne = createPrimaryClient(worker());
    const askFromTwo = createPrimaryClient(worker());
    const decisions = await Promise.all([askFromOne(hit), askFromTwo(hit), askFromOne(hit), askFromTwo(hit), askFromTwo(hit)]);
    expect(decisions.map((decision) => decision?.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[2]?.remaining).toBe(0);
  });

  test("the primary ignores messages of other types, and a worker ignores other replies", async () => {
    const { cluster, worker } = fakeCluster();
    const counter = createWindowCounter();
    serveWorkerHits(cluster, counter);
    const channel = worker();
    cluster.emit("message", { send: () => expect.unreachable() }, { type: "metrics:request", id: 1 });
    cluster.emit("message", { send: () => expect.unreachable() }, { type: "rate-limit:hit", id: 2, key: 7 });
    cluster.emit("message", { send: () => expect.unreachable() }, "rate-limit:hit");
    expect(counter.size).toBe(0);

    const ask = createPrimaryClient(channel);
    const answer = ask(hit);
    channel.send({ type: "rate-limit:hit", id: 999, ...hit }, () => {});
    expect(await answer).toMatchObject({ allowed: true, remaining: 2 });
  });

  test("no answer within the timeout resolves as unanswered, so the caller fails open", async () => {
    const silent: PrimaryChannel = { send: () => true, on: () => undefined };
    const started = Date.now();
    expect(await createPrimaryClient(silent, 50)(hit)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  test("a closed channel is unanswered at once", async () => {
    const closed: PrimaryChannel = {
      send: (_message, done) => done(new Error("channel closed")),
      on: () => undefined,
    };
    const throwing: PrimaryChannel = {
      send: () => {
        throw new Error("ERR_IPC_CHANNEL_CLOSED");
      },
      on: () => undefined,
    };
    expect(await createPrimaryClient(closed, 10_000)(hit)).toBeUndefined();
    expect(await createPrimaryClient(throwing, 10_000)(hit)).toBeUndefined();
  });

});
