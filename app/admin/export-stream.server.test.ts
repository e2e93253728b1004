import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it, vi } from "vitest";
import {
  contentTypeOf,
  csvCell,
  csvLine,
  exportFileName,
  exportResponseHeaders,
  exportStream,
  type ExportColumn,
} from "~/admin/export-stream.server";

// getEnv reads the environment once, on first use, so this holds for every test in the file.
vi.stubEnv("STAFF_TIME_ZONE", "Asia/Seoul");

type Lead = { id: number; name: string; company: string | null; createdAt: Date; consented: boolean };

const leadColumns: ExportColumn<Lead>[] = [
  { key: "id", header: "번호", value: (lead) => lead.id },
  { key: "name", header: "이름", value: (lead) => lead.name },
  { key: "company", header: "회사", value: (lead) => lead.company },
  { key: "createdAt", header: "등록일", value: (lead) => lead.createdAt },
  { key: "consented", header: "동의", value: (lead) => lead.consented },
];

const leads: Lead[] = [
  {
    id: 1,
    name: "김민수",
    company: '주식회사 "한빛", 서울',
    createdAt: new Date("2026-12-01T09:30:00Z"),
    consented: true,
  },
  {
    id: 2,
    name: '=HYPERLINK("http://evil")',
    company: null,
    createdAt: new Date("2026-12-02T00:00:00Z"),
    consented: false,
  },
];

const BOM = [0xef, 0xbb, 0xbf];
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

async function streamBytes(stream: ReadableStream<Uint8Array>) {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function* pagesOf<Row>(rows: Row[], pageSize: number) {
  for (let start = 0; start < rows.length; start += pageSize) yield rows.slice(start, start + pageSize);
}

describe("csvCell", () => {
  it("writes plain values as they are", () => {
    expect(csvCell("홍길동")).toBe("홍길동");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(true)).toBe("true");
  });

  it("writes null as an empty cell and a Date as ISO 8601", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-12-02T03:04:05.006Z"))).toBe("2026-12-02T03:04:05.006Z");
  });

  it("quotes cells with quotes, commas or line breaks and doubles the quotes", () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("서울, 부산")).toBe('"서울, 부산"');
    expect(csvCell("first\nsecond")).toBe('"first\nsecond"');
    expect(csvCell("first\r\nsecond")).toBe('"first\r\nsecond"');
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+82 10 1234", "'+82 10 1234"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
  ])("defuses the formula trigger in %j", (text, expected) => {
    expect(csvCell(text)).toBe(expected);
  });

  it("defuses a leading CR and then quotes the cell for it", () => {
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
  });

  it("defuses numbers too", () => {
    expect(csvCell(-5)).toBe("'-5");
  });

  it("defuses first and quotes after, so the apostrophe ends up inside the quotes", () => {
    expect(csvCell('=HYPERLINK("http://evil","click")')).toBe(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(csvCell("-1,2")).toBe(`"'-1,2"`);
  });

  it("leaves trigger characters alone when they are not first", () => {
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("010-1234-5678")).toBe("010-1234-5678");
  });
});

describe("csvLine", () => {
  it("joins cells with commas and ends with CRLF", () => {
    expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});

describe("exportStream as CSV", () => {
  it("starts with the UTF-8 BOM and writes a header line and CRLF rows with Korean intact", async () => {
    const bytes = await streamBytes(exportStream({ format: "csv", columns: leadColumns, batches: pagesOf(leads, 1) }));

    expect([...bytes.slice(0, 3)]).toEqual(BOM);
    expect(strictUtf8.decode(bytes.slice(3))).toBe(
      "번호,이름,회사,등록일,동의\r\n" +
        '1,김민수,"주식회사 ""한빛"", 서울",2026-12-01T09:30:00.000Z,true\r\n' +
        `2,"'=HYPERLINK(""http://evil"")",,2026-12-02T00:00:00.000Z,false\r\n`,
    );
  });

  it("writes only the BOM and header for zero rows", async () => {
    const bytes = await streamBytes(exportStream({ format: "csv", columns: leadColumns, batches: pagesOf([], 10) }));

    expect([...bytes.slice(0, 3)]).toEqual(BOM);
    expect(strictUtf8.decode(bytes.slice(3))).toBe("번호,이름,회사,등록일,동의\r\n");
  });

  it("carries on past an empty page", async () => {
    const pages = [[], [leads[0]], [], [leads[1]], []][Symbol.iterator]();
    const bytes = await streamBytes(exportStream({ format: "csv", columns: leadColumns, batches: pages }));

    expect(strictUtf8.decode(bytes.slice(3)).split("\r\n")).toHaveLength(4);
  });
});

describe("exportStream as JSON", () => {
  it("writes an array of objects keyed by column key, without a BOM", async () => {
    const bytes = await streamBytes(exportStream({ format: "json", columns: leadColumns, batches: pagesOf(leads, 1) }));

    expect(bytes[0]).toBe("[".charCodeAt(0));
    expect(JSON.parse(strictUtf8.decode(bytes))).toEqual([
      {
        id: 1,
        name: "김민수",
        company: '주식회사 "한빛", 서울',
        createdAt: "2026-12-01T09:30:00.000Z",
        consented: true,
      },
      {
        id: 2,
        name: '=HYPERLINK("http://evil")',
        company: null,
        createdAt: "2026-12-02T00:00:00.000Z",
        consented: false,
      },
    ]);
  });

  it("writes an empty array for zero rows", async () => {
    const bytes = await streamBytes(exportStream({ format: "json", columns: leadColumns, batches: pagesOf([], 10) }));

    expect(JSON.parse(strictUtf8.decode(bytes))).toEqual([]);
  });
});

describe("exportStream failures", () => {
  it("errors the stream when fetching a page throws", async () => {
    function* failingPages() {
      yield [leads[0]];
      throw new Error("database is locked");
    }
    const stream = exportStream({ format: "csv", columns: leadColumns, batches: failingPages() });

    await expect(streamBytes(stream)).rejects.toThrow("database is locked");
  });

  it("errors the stream and releases the source when a column throws", async () => {
    let released = false;
    function* pages() {
      try {
        yield leads;
      } finally {
        released = true;
      }
    }
    const columns: ExportColumn<Lead>[] = [
      {
        key: "broken",
        header: "broken",
        value: () => {
          throw new Error("no such column");
        },
      },
    ];

    await expect(streamBytes(exportStream({ format: "json", columns, batches: pages() }))).rejects.toThrow(
      "no such column",
    );
    expect(released).toBe(true);
  });
});

// Output rows of about 200 bytes, so 100,000 of them add up to roughly 20 MB.
function countedLeadPages(totalRows: number, pageSize: number) {
  const progress = { pagesProduced: 0, released: false };
  function* pages() {
    try {
      for (let start = 0; start < totalRows; start += pageSize) {
        progress.pagesProduced += 1;
        const page: Lead[] = [];
        for (let id = start; id < Math.min(start + pageSize, totalRows); id += 1) {
          page.push({
            id,
            name: `응답자 ${id} — 인공지능 활용 역량 진단 참여자`,
            company: id % 7 === 0 ? null : `주식회사 예시 ${id}, 서울특별시 강남구 테헤란로 ${id % 500}`,
            createdAt: new Date(Date.UTC(2026, 0, 1) + id * 60_000),
            consented: id % 2 === 0,
          });
        }
        yield page;
      }
    } finally {
      progress.released = true;
    }
  }
  return { progress, pages: pages() };
}

/** The real collector: `--expose-gc` when vitest was started with it, else switched on now. */
function collectGarbage(): () => void {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc");
}

function retainedBytes() {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Lets every queued microtask and I/O callback run, so a stream that pulls on its own would have by now. */
async function settle() {
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe("exportStream laziness", () => {
  it("fetches a page only when the reader wants more, and stops when the reader stops", async () => {
    const { progress, pages } = countedLeadPages(100_000, 500);
    const reader = exportStream({ format: "csv", columns: leadColumns, batches: pages }).getReader();

    await settle();
    expect(progress.pagesProduced).toBe(0);

    await reader.read();
    await settle();
    expect(progress.pagesProduced).toBeLessThanOrEqual(2);

    for (let chunk = 0; chunk < 3; chunk += 1) await reader.read();
    await settle();
    const producedWhenReaderStopped = progress.pagesProduced;
    expect(producedWhenReaderStopped).toBeLessThanOrEqual(5);
    await settle();
    expect(progress.pagesProduced).toBe(producedWhenReaderStopped);

    await reader.cancel();
    expect(progress.released).toBe(true);
    expect(progress.pagesProduced).toBe(producedWhenReaderStopped);
  });

  it("streams 100,000 rows with memory far below the output size", async () => {
    const gc = collectGarbage();
    const { progress, pages } = countedLeadPages(100_000, 500);
    const reader = exportStream({ format: "json", columns: leadColumns, batches: pages }).getReader();

    gc();
    const baseline = retainedBytes();
    let peakGrowth = 0;
    let outputBytes = 0;
    let chunksRead = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunksRead += 1;
      outputBytes += value.byteLength;
      // The header is the first chunk, every later one a page; at most one page is read ahead.
      expect(progress.pagesProduced).toBeLessThanOrEqual(chunksRead + 1);
      if (chunksRead % 10 === 0) {
        gc();
        peakGrowth = Math.max(peakGrowth, retainedBytes() - baseline);
      }
    }

    expect(progress.pagesProduced).toBe(200);
    expect(outputBytes).toBeGreaterThan(15_000_000);
    expect(peakGrowth).toBeLessThan(outputBytes / 10);
  });
});

describe("export file and headers", () => {
  it("names the file by the staff's calendar day", () => {
    // 00:30 on 2 December in Seoul is still 1 December in UTC.
    expect(exportFileName("leads", "csv", new Date("2026-12-01T15:30:00Z"))).toBe("leads-2026-12-02.csv");
    expect(exportFileName("audit-log", "json", new Date("2026-12-01T14:59:59Z"))).toBe("audit-log-2026-12-01.json");
  });

  it("gives each format its UTF-8 content type", () => {
    expect(contentTypeOf("csv")).toBe("text/csv; charset=utf-8");
    expect(contentTypeOf("json")).toBe("application/json; charset=utf-8");
  });

  it("sends an uncached, unsniffed attachment", () => {
    expect(exportResponseHeaders("leads-2026-12-02.csv", "csv")).toEqual({
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="leads-2026-12-02.csv"; filename*=UTF-8''leads-2026-12-02.csv`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
  });

  it("keeps a non-ASCII file name in filename* and an ASCII stand-in in filename", () => {
    const disposition = exportResponseHeaders(`상담 "목록"(1).json`, "json")["Content-Disposition"];

    expect(disposition).toBe(
      `attachment; filename="__ ____(1).json"; filename*=UTF-8''%EC%83%81%EB%8B%B4%20%22%EB%AA%A9%EB%A1%9D%22%281%29.json`,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe(`상담 "목록"(1).json`);
  });
});
