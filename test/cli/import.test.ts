import * as fs from "node:fs";
import * as path from "node:path";
import { ensureBuilt, json, openWritten, runCli, sheetNamed, snapshot, tableRows, tempDir } from "./harness";

const AS_OF = "2025-10-15";
const NOW = new Date(2025, 9, 15);

/** A plan written the way the seeds' associations write them: numbered headings, 1. / 1、 / （1） items, owners. */
const ZH_PLAN = `2025年度市科协工作计划

一、2025年3月份工作
1. 组织开展《科普法》学习宣传12次（科普部负责）
2. 发行《科普通讯》6期，责任单位：办公室
二、5月份工作
1、青少年科技创新大赛征集作品31件，由青少部负责
三、9~10月份工作
（1）全国科普日主题活动，受益群众达1万人次（科普部负责）
常规工作：每周召开理事例会（办公室负责）
`;

/** Seed part 3's opening (a student psychology society, school year, placeholder years). */
const SEED_PART_3 = `常规工作:每周召开理事例会,收集理事意见及进行下周的工作安排。

活动安排:

一、xx年9月份工作

1.与校心康部、青协的合作计划

(1).心理实践社负责团训、校外实践工作

2.辅助新生心理辅导员做好团训活动。由团训负责人负责具体的人员安排组织工作。

二、xx年11月份工作

1.在桐梓坡小学开展2~3次团训活动,2次心理小广播。

四、xx年3~4月份工作

2. “挑战杯”学术科技创新大赛。心理实践社作为团体参加比赛。
`;

const EN_PLAN = `Student Psychology Society — Academic Year 2025-26 Plan

September
1. Recruit 40 new members (Owner: Practice Society)
2. Group training for freshmen, 5~6 sessions, led by Mind Health Dept

Nov 2025:
- Run 2~3 group training sessions at Tongzipo Primary School, 2 radio broadcasts (Practice Society)

Ongoing
- Psychology corner open sessions
`;

type Row = {
  month: string | null;
  activity: string;
  owner: string;
  target: number | null;
  unit: string;
  category: string;
  source: string;
  line: number;
};

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("import");
  fs.writeFileSync(path.join(dir, "计划.txt"), ZH_PLAN);
  fs.writeFileSync(path.join(dir, "part3.txt"), SEED_PART_3);
  fs.writeFileSync(path.join(dir, "plan-en.txt"), EN_PLAN);
  // The same kind of text saved by Notepad on Chinese Windows: GB18030, no BOM.
  const gbk =
    "d2bba1a232303235c4ea39d4c2b7ddb9a4d7f70a312e20bfaad5b9bfc6c6d5d0fbb4ab3132b4cea3a8bfc6c6d5b2bfb8bad4f0a3a90a";
  fs.writeFileSync(path.join(dir, "gbk.txt"), Buffer.from(gbk, "hex"));
  fs.writeFileSync(
    path.join(dir, "utf16.txt"),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ZH_PLAN, "utf16le")]),
  );
  // Headings and nothing under them: no plan items.
  fs.writeFileSync(path.join(dir, "prose.txt"), "一、指导思想\n\n二、工作目标\n");
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan-ledger import", () => {
  it("prints the rows of a Chinese plan with month, owner, quantity and source line", async () => {
    const r = await runCli(["import", "计划.txt", "--json", "--as-of", AS_OF], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const report = json(r);
    expect(report.period).toEqual({ start: "2025-01", end: "2025-12" });
    const rows = report.rows as Row[];
    expect(rows.map((x) => [x.month, x.activity, x.owner, x.target, x.unit])).toEqual([
      ["2025-03", "组织开展《科普法》学习宣传12次", "科普部", 12, "次"],
      ["2025-03", "发行《科普通讯》6期", "办公室", 6, "期"],
      ["2025-05", "青少年科技创新大赛征集作品31件", "青少部", 31, "件"],
      ["2025-10", "全国科普日主题活动，受益群众达1万人次", "科普部", 10000, "人次"],
      ["annual", "每周召开理事例会", "办公室", null, ""],
    ]);
    expect(rows[1]).toMatchObject({ source: "2. 发行《科普通讯》6期，责任单位：办公室", line: 5 });
    expect(report.findings).toEqual([]);
  });

  it("reads seed part 3 as a school year: placeholder years resolved, one row per quantified activity", async () => {
    const report = json(await runCli(["import", "part3.txt", "--json", "--as-of", AS_OF], { cwd: dir }));
    expect(report.period).toEqual({ start: "2025-09", end: "2026-08" });
    const rows = report.rows as Row[];
    expect(rows.map((x) => x.month)).toEqual(["annual", "2025-09", "2025-09", "2025-11", "2025-11", "2026-04"]);
    expect(rows[1]).toMatchObject({ owner: "心理实践社", category: "与校心康部、青协的合作计划" });
    expect(rows.slice(3, 5).map((x) => [x.activity, x.target, x.unit])).toEqual([
      ["在桐梓坡小学开展2~3次团训活动", 2, "次"],
      ["2次心理小广播", 2, "次"],
    ]);
    const findings = report.findings as { line: number; code: string; severity: string; message: string }[];
    expect(findings.filter((f) => f.code === "owner.missing").map((f) => f.line)).toContain(1);
    expect(findings.every((f) => f.severity !== "error")).toBe(true);
  });

  it("reads an English plan, with --period-start overriding the title", async () => {
    const report = json(await runCli(["import", "plan-en.txt", "--json", "--period-start", "2025-08"], { cwd: dir }));
    expect(report.period).toEqual({ start: "2025-08", end: "2026-07" });
    const rows = report.rows as Row[];
    expect(rows.map((x) => [x.month, x.owner, x.target, x.unit])).toEqual([
      ["2025-09", "Practice Society", 40, "members"],
      ["2025-09", "Mind Health Dept", 5, "sessions"],
      ["2025-11", "Practice Society", 2, "sessions"],
      ["2025-11", "Practice Society", 2, "broadcasts"],
      ["annual", "", null, ""],
    ]);
    expect(report.findings).toEqual([
      expect.objectContaining({ line: 11, code: "owner.missing", severity: "warning" }),
    ]);
  });

  it("decodes GB18030 and UTF-16 files", async () => {
    const gbk = json(await runCli(["import", "gbk.txt", "--json"], { cwd: dir }));
    expect((gbk.rows as Row[]).map((x) => [x.month, x.activity, x.owner, x.target])).toEqual([
      ["2025-09", "开展科普宣传12次", "科普部", 12],
    ]);
    const utf16 = json(await runCli(["import", "utf16.txt", "--json", "--as-of", AS_OF], { cwd: dir }));
    expect((utf16.rows as Row[]).length).toBe(5);
  });

  it("with --out writes a structured plan sheet whose header is in the chosen language", async () => {
    const r = await runCli(["import", "计划.txt", "--out", "计划.xlsx", "--as-of", AS_OF, "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ out: "计划.xlsx", sheet: "计划", table: "Plan" });
    const model = await openWritten(path.join(dir, "计划.xlsx"), NOW);
    const { table, rows } = tableRows(sheetNamed(model, "计划"), "Plan");
    expect(table.columns.slice(0, 8)).toEqual([
      "月份",
      "工作任务",
      "责任单位",
      "类别",
      "单位",
      "目标",
      "实际完成",
      "备注",
    ]);
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => [row[1], row[2], row[5]])).toEqual([
      ["组织开展《科普法》学习宣传12次", "科普部", 12],
      ["发行《科普通讯》6期", "办公室", 6],
      ["青少年科技创新大赛征集作品31件", "青少部", 31],
      ["全国科普日主题活动，受益群众达1万人次", "科普部", 10000],
      ["每周召开理事例会", "办公室", ""],
    ]);
    // Months are real month dates (first of the month), the whole-year item says 全年.
    expect(rows[0][0]).toBe(Date.UTC(2025, 2, 1) / 86400000 + 25569);
    expect(rows[4][0]).toBe("全年");
    // The range 9~10月 counts in October and keeps its wording.
    expect(rows[3][0]).toBe(Date.UTC(2025, 9, 1) / 86400000 + 25569);
    expect(String(rows[3][7])).toContain("9~10月");

    const en = await runCli(["import", "plan-en.txt", "--out", "plan-en.xlsx", "--lang", "en-US"], { cwd: dir });
    expect(en.code).toBe(0);
    expect(en.stdout).toContain("Written: plan-en.xlsx");
    const enModel = await openWritten(path.join(dir, "plan-en.xlsx"), NOW);
    const enTable = tableRows(sheetNamed(enModel, "Plan"), "Plan");
    expect(enTable.table.columns.slice(0, 3)).toEqual(["Month", "Activity", "Owner"]);
    expect(enTable.rows).toHaveLength(5);
  });

  it("exits 1 when the text has no plan items, and with --out writes nothing (exit 2)", async () => {
    const r = await runCli(["import", "prose.txt", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({
      rows: [],
      findings: [expect.objectContaining({ code: "items.none", severity: "error" })],
    });
    const before = snapshot(dir);
    const out = await runCli(["import", "prose.txt", "--out", "prose.xlsx"], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^prose\.txt: no activities were found in the text, so nothing was written\./);
    expect(snapshot(dir)).toEqual(before);
  });
});
