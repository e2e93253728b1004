import cluster from "node:cluster";
import { createWindowCounter, type WindowDecision } from "./window-counter";

/** After this long without an answer from the primary a worker lets the request through (fails open). */
export const PRIMARY_ANSWER_TIMEOUT_MS = 1_000;

export type Hit = { key: string; quota: number; windowMs: number };

// Namespaced: the same IPC channel carries cluster internals, prom-client and metrics messages.
type HitMessage = Hit & { type: "rate-limit:hit"; id: number };
type DecisionMessage = { type: "rate-limit:decision"; id: number; decision: WindowDecision };

function isMessageOfType(message: unknown, type: string): message is { type: string; id: number } {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { type?: unknown }).type === type &&
    typeof (message as { id?: unknown }).id === "number"
  );
}

function isHitMessage(message: unknown): message is HitMessage {
  if (!isMessageOfType(message, "rate-limit:hit")) return false;
  const { key, quota, windowMs } = message as Partial<HitMessage>;
  return typeof key === "string" && typeof quota === "number" && typeof windowMs === "number";
}

/** The counters of this process; in a cluster only the primary's are used, so every worker shares them. */
const primaryCounter = createWindowCounter();

/** `cluster` in the primary: it emits ("message", worker, message) for every worker, also those forked later. */
type WorkerMessages = {
  on(event: "message", listener: (worker: WorkerReply, message: unknown) => void): unknown;
};
type WorkerReply = { send(message: DecisionMessage, callback: (error: Error | null) => void): unknown };

/** Answers the workers' hits from `counter`. */
export function serveWorkerHits(source: WorkerMessages, counter = primaryCounter) {
  source.on("message", (worker: WorkerReply, message: unknown) => {
    if (!isHitMessage(message)) return;
    const decision = counter.hit(message.key, message.quota, message.windowMs);
    // A worker that exited meanwhile waits for nothing, so a failed reply needs no handling.
    worker.send({ type: "rate-limit:decision", id: message.id, decision }, () => {});
  });
}

let serving = false;

/** Runs in the primary (see startBackgroundJobs), before or after the workers are forked. */
export function startRateLimitService() {
  if (serving) return;
  serving = true;
  serveWorkerHits(cluster);
}

/** A worker's link to the primary: `process` in a cluster worker. */
export type PrimaryChannel = {
  send(message: HitMessage, callback: (error: Error | null) => void): unknown;
  on(event: "message", listener: (message: unknown) => void): unknown;
};

/**
 * Asks the primary to count a hit. Resolves with undefined when no answer
 * comes in time or the channel is closed: a stuck primary must not take the
 * site down with it, so the caller lets the request through.
 */
export function createPrimaryClient(channel: PrimaryChannel, timeoutMs = PRIMARY_ANSWER_TIMEOUT_MS) {
  let nextId = 0;
  const waiting = new Map<number, (decision?: WindowDecision) => void>();
  channel.on("message", (message) => {
    if (isMessageOfType(message, "rate-limit:decision")) {
      waiting.get(message.id)?.((message as DecisionMessage).decision);
    }
  });
  return (hit: Hit) =>
    new Promise<WindowDecision | undefined>((resolve) => {
      nextId += 1;
      const id = nextId;
      const settle = (decision?: WindowDecision) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(decision);
      };
      const timer = setTimeout(settle, timeoutMs);
      waiting.set(id, settle);
      try {
        channel.send({ type: "rate-limit:hit", id, ...hit }, (error) => error && settle());
      } catch {
        settle();
      }
    });
}

let askPrimary: ReturnType<typeof createPrimaryClient> | undefined;

/**
 * Counts one hit where the cluster's counters live: in the primary, asked over
 * IPC from an HTTP worker, or in this process when it is the only one (a
 * single-process server, tests). Undefined means the primary did not answer.
 */
export function countHit(hit: Hit): Promise<WindowDecision | undefined> | WindowDecision {
  if (!cluster.isWorker) return primaryCounter.hit(hit.key, hit.quota, hit.windowMs);
  askPrimary ??= createPrimaryClient({
    send: (message, callback) => process.send!(message, undefined, undefined, callback),
    on: (event, listener) => process.on(event, listener),
  });
  return askPrimary(hit);
}
