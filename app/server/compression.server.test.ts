import { describe, expect, test } from "vitest";
import { COMPRESSED_ONCE, COMPRESSED_PER_RESPONSE, negotiateEncoding } from "./compression.server";

describe("negotiateEncoding", () => {
  test("the client's weights come first; equal weights go to our preference for the kind of answer", () => {
    const browser = "gzip, deflate, br, zstd";
    expect(negotiateEncoding(browser, COMPRESSED_ONCE)).toBe("br");
    expect(negotiateEncoding(browser, COMPRESSED_PER_RESPONSE)).toBe("gzip");
    expect(negotiateEncoding("gzip;q=0.5, br", COMPRESSED_PER_RESPONSE)).toBe("br");
    expect(negotiateEncoding("br;q=0.2, gzip;q=0.9", COMPRESSED_ONCE)).toBe("gzip");
  });

  test("what the client refuses or does not name is never chosen", () => {
    expect(negotiateEncoding("br", COMPRESSED_PER_RESPONSE)).toBe("br");
    expect(negotiateEncoding("gzip;q=0, br;q=0", COMPRESSED_ONCE)).toBeNull();
    expect(negotiateEncoding("identity", COMPRESSED_ONCE)).toBeNull();
    expect(negotiateEncoding("", COMPRESSED_PER_RESPONSE)).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding("*", COMPRESSED_PER_RESPONSE)).toBe("gzip");
    expect(negotiateEncoding("*;q=0.1, gzip;q=0", COMPRESSED_PER_RESPONSE)).toBe("br");
    expect(negotiateEncoding("GZIP ; Q=1", COMPRESSED_PER_RESPONSE)).toBe("gzip");
  });
});
