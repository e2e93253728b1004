import { describe, expect, test } from "vitest";
import { negotiateEncodings } from "./compression.server";

describe("negotiateEncodings", () => {
  test("the client's weights come first; equal weights go to our preference for the kind of answer", () => {
    expect(negotiateEncodings("gzip, deflate, br, zstd")).toEqual({ once: "br", perResponse: "gzip" });
    expect(negotiateEncodings("gzip;q=0.5, br")).toEqual({ once: "br", perResponse: "br" });
    expect(negotiateEncodings("br;q=0.2, gzip;q=0.9")).toEqual({ once: "gzip", perResponse: "gzip" });
  });

  test("what the client refuses or does not name is never chosen", () => {
    expect(negotiateEncodings("br")).toEqual({ once: "br", perResponse: "br" });
    expect(negotiateEncodings("gzip;q=0, br;q=0")).toEqual({ once: null, perResponse: null });
    expect(negotiateEncodings("identity")).toEqual({ once: null, perResponse: null });
    expect(negotiateEncodings("")).toEqual({ once: null, perResponse: null });
    expect(negotiateEncodings(undefined)).toEqual({ once: null, perResponse: null });
    expect(negotiateEncodings("*")).toEqual({ once: "br", perResponse: "gzip" });
    expect(negotiateEncodings("*;q=0.1, gzip;q=0")).toEqual({ once: "br", perResponse: "br" });
    expect(negotiateEncodings("GZIP ; Q=1")).toEqual({ once: "gzip", perResponse: "gzip" });
  });
});
