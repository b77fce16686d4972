import fc from "fast-check";
import { parseTextPlan, type TextPlanRow } from "../../../src/core/textplan";
import { cleanText } from "../../../src/core/text";
import type { Period } from "../../../src/core/types";

const SCHOOL_YEAR: Period = { start: "2025-09", end: "2026-08" };
const YEAR_2025: Period = { start: "2025-01", end: "2025-12" };

/** The fields a reviewer checks in the import preview. */
function brief(r: TextPlanRow) {
  return {
    line: r.line,
    bucket: r.bucket,
    activity: r.activity,
    owner: r.owner,
    coOwners: r.coOwners,
    category: r.category,
    target: r.target,
    unit: r.unit,
  };
}

function rowsOf(text: string, period: Period = SCHOOL_YEAR, knownOwners?: string[]) {
  return parseTextPlan(text, { period, knownOwners }).rows;
}

// Seed part 3: a student psychology society's school-year plan, as published (ASCII commas and colons included).
const SEED_PART_3 = `
常规工作:每周召开理事例会,收集理事意见及进行下周的工作安排。

心理角的定期开放,组织观看电影、阅读专业书籍。

桐梓坡小学“心晴工作室”开放。

活动安排:

一、xx年9月份工作

1.与校心康部、青协的合作计划

(1).心理实践社负责团训、校外实践工作

(2). 策划全校性的心理普及活动。问卷的搜集整理由心康部负责,指导者、数据统计等则由实践社负责

(3). 学术性的讲座等可由其他部承办。但参与同学仅限本专业学生

(4). 新生心理辅导员的选拔培训工作心理实践社要参与。

(5). 建立院校预报机制,增强校、院活动的透明度和联系度。

2.辅助新生心理辅导员做好团训活动。主要以10级的为主,在新生军训期间,辅助各班的心理辅导员为新生做团训活动,每次5~6人。由团训负责人负责具体的人员安排组织工作。

3.招募新社员。通过各班的心理委员及心理实践社的理事向新生宣传,招募新生入社,为心理实践社注入新的力量。

二、xx年11月份工作

1.在桐梓坡小学开展2~3次团训活动,2次心理小广播。

2.收集桐梓坡小学团训、广播的资料,整理出一份总结。

3心理角的常规活动。

4.安排大一新生与大二学生的交流会,请老师进行指导,提高新生对专业知识了解,以及对本专业的信心。

5. 人事部制定一套完整可行的综合测评的制度.

三、xx年12月份工作

1. 各部分工作接近尾声

2. 召开理事工作总结会,总结这一学年的工作,以及制定下学年具体的的工作计划。

四、xx年3~4月份工作

1. 兴趣小组。活动对象以大一、 大二为主。形式为将报名兴趣小组的同学按各个主题如星座、手相、血型、中医医学等这些方面分组,每个组分别搜集、整理资料,各组每月进行一次交流,方式不规定。活动目的是希望通过此活动来扩展本专业同学的只是面,提高对专业的兴趣以及提升同学们的自主学习能力。

2. “挑战杯”学术科技创新大赛。心理实践社作为团体参加比赛,由教研室老师指导选择课题、搜集资料、撰写学术论文参加比赛。

3. .小学“心晴工作室”开放,每周一次。

4. 心理角定期开放。

五、 xx年5月份工作

1. 周年庆活动

xx年5月10日是我心理协会成立一周年的纪念日,理事会决定以周年庆的形式加大宣传力度,使社员以及广大同学能对实践社有个更全面的了解,提高校领导对 实践社的关注程度。

(1)由心理协会组织一场晚会,每一个会员都能参加,晚会节目由社员排练表演,展现心理实践社会员的风采。届时邀请教研室以及院办老师前往观赏。

(2)通过宣传板、电子文档、视屏等形式来展现心理实践社自成立到现在所作出的努力与成绩。回顾过去,展望未来。

2.与青协合作,开展一场面向心理专业学生的心理知识讲座,邀请专业老师一起参加,作为“5.25”心理健康日实践社的活动。

3.在校外巩固桐梓坡小学实践点,并与之洽谈继续合作的相关事宜,做出一份合作计划。

4.与湖南师范大学心理社联系,寻找合作契机,相互学习交流。

5. 外联有针对性的与外界接触,与学校周边的学校联系,拓展实践社的实践基地。

六、xx年6 月份工作

1.各部分工作接近尾声

2.做好各个活动的总结,做成文字资料,存入档案。

3.各理事做学年的工作总结报告,并做下一学年的工作计划。会长对本学年的工作进行汇总。

4.换届选举

(1)、通过心理实践社社员大会的形式,所有的社员都要参与,并邀请教研室及院办老师。

(2).会上社长做工作总结报告,副社长做财政开支报告。评选年度优秀社员。
`.slice(1);

describe("parseTextPlan on seed part 3 (student psychology society)", () => {
  const { rows, findings } = parseTextPlan(SEED_PART_3, { period: SCHOOL_YEAR });

  it("finds every item, one row per leaf item and per quantified activity", () => {
    expect(rows).toHaveLength(33);
    const perBucket = new Map<string | null, number>();
    for (const r of rows) perBucket.set(r.bucket, (perBucket.get(r.bucket) ?? 0) + 1);
    expect([...perBucket]).toEqual([
      ["annual", 3],
      ["2025-09", 7],
      ["2025-11", 6],
      ["2025-12", 2],
      ["2026-04", 4],
      ["2026-05", 6],
      ["2026-06", 5],
    ]);
  });

  it("reads the routine section as annual items, the first from the heading line itself", () => {
    expect(rows.slice(0, 3).map(brief)).toEqual([
      expect.objectContaining({
        line: 1,
        bucket: "annual",
        activity: "每周召开理事例会,收集理事意见及进行下周的工作安排",
      }),
      expect.objectContaining({ line: 3, bucket: "annual", activity: "心理角的定期开放,组织观看电影、阅读专业书籍" }),
      expect.objectContaining({ line: 5, bucket: "annual", activity: "桐梓坡小学“心晴工作室”开放" }),
    ]);
    expect(rows[0].source).toBe("常规工作:每周召开理事例会,收集理事意见及进行下周的工作安排。");
  });

  it("makes nested items rows with the parent item as category and reads their owners", () => {
    const sep = rows.filter((r) => r.bucket === "2025-09").map(brief);
    expect(sep.slice(0, 3)).toEqual([
      {
        line: 13,
        bucket: "2025-09",
        activity: "心理实践社负责团训、校外实践工作",
        owner: "心理实践社",
        coOwners: [],
        category: "与校心康部、青协的合作计划",
        target: null,
        unit: "",
      },
      {
        line: 15,
        bucket: "2025-09",
        activity: "策划全校性的心理普及活动",
        owner: "心康部",
        coOwners: ["实践社"],
        category: "与校心康部、青协的合作计划",
        target: null,
        unit: "",
      },
      expect.objectContaining({ line: 17, activity: "学术性的讲座等可由其他部承办", owner: "其他部" }),
    ]);
    expect(sep[5]).toMatchObject({
      line: 23,
      activity: "辅助新生心理辅导员做好团训活动",
      owner: "团训负责人",
      category: "",
    });
    expect(rows.find((r) => r.line === 15)?.notes).toBe("问卷的搜集整理由心康部负责,指导者、数据统计等则由实践社负责");
  });

  it("splits 2~3次团训活动，2次心理小广播 into two rows, keeping the range wording", () => {
    const line29 = rows.filter((r) => r.line === 29);
    expect(line29.map(brief)).toEqual([
      expect.objectContaining({ bucket: "2025-11", activity: "在桐梓坡小学开展2~3次团训活动", target: 2, unit: "次" }),
      expect.objectContaining({ bucket: "2025-11", activity: "2次心理小广播", target: 2, unit: "次" }),
    ]);
    expect(line29[0].originals).toEqual({ target: "2~3次" });
    expect(line29[1].originals).toEqual({});
    expect(line29[0].source).toBe("1.在桐梓坡小学开展2~3次团训活动,2次心理小广播。");
  });

  it("takes measure words as targets but not frequencies or group sizes", () => {
    expect(rows.find((r) => r.line === 31)).toMatchObject({ target: 1, unit: "份" }); // 整理出一份总结
    expect(rows.find((r) => r.line === 23)).toMatchObject({ target: null, unit: "" }); // 每次5~6人
    expect(rows.find((r) => r.line === 51)).toMatchObject({ activity: "小学“心晴工作室”开放,每周一次", target: null });
    expect(rows.find((r) => r.line === 47)).toMatchObject({ activity: "兴趣小组", target: null }); // 每月进行一次交流
  });

  it("counts the 3~4月 section in April and keeps its wording", () => {
    const april = rows.filter((r) => r.bucket === "2026-04");
    expect(april.map((r) => r.activity)).toEqual([
      "兴趣小组",
      "“挑战杯”学术科技创新大赛",
      "小学“心晴工作室”开放,每周一次",
      "心理角定期开放",
    ]);
    expect(april.every((r) => r.originals.month === "xx年3~4月份")).toBe(true);
  });

  it("puts a description paragraph in the notes of the item above it", () => {
    expect(rows.find((r) => r.line === 25)?.notes).toBe(
      "通过各班的心理委员及心理实践社的理事向新生宣传,招募新生入社,为心理实践社注入新的力量",
    );
  });

  it("makes the sub-items of 周年庆活动 and 换届选举 rows under those categories", () => {
    expect(rows.filter((r) => r.category === "周年庆活动").map((r) => [r.line, r.owner, r.target, r.unit])).toEqual([
      [61, "心理协会", 1, "场"],
      [63, "", null, ""],
    ]);
    expect(rows.filter((r) => r.category === "换届选举").map((r) => r.line)).toEqual([83, 85]);
  });

  it("reports each row without an owner, in both languages, and no month problems", () => {
    const missing = findings.filter((f) => f.code === "owner.missing");
    expect(missing).toHaveLength(rows.filter((r) => r.owner === "").length);
    expect(missing[0]).toEqual({
      line: 1,
      code: "owner.missing",
      severity: "warning",
      field: "owner",
      value: "每周召开理事例会,收集理事意见及进行下周的工作安排",
      message: {
        "zh-CN": "第1行「每周召开理事例会,收集理事意见及进行下周的工作安排」没有找到责任单位",
        "en-US": 'Line 1: no owner found for "每周召开理事例会,收集理事意见及进行下周的工作安排"',
      },
    });
    expect(findings.filter((f) => f.code !== "owner.missing")).toEqual([]);
  });

  it("numbers rows in order and keeps each row's source line", () => {
    const lines = SEED_PART_3.split("\n");
    rows.forEach((r, i) => {
      expect(r.gridRow).toBe(i);
      expect(r.source).toBe(cleanText(lines[r.line - 1]));
      expect(r.actual).toBeNull();
    });
  });
});

const ZH_PLAN = `2025年度科普工作计划
为进一步做好科普工作，特制定本计划如下：
# 常规工作
- 全年发行《科普通讯》12期（科普部负责）
- 维护科普微信公众号，责任单位：办公室
一、20xx年1月份工作
1、召开年度工作会议，牵头：办公室、学会部
2、开展新春科普进社区活动3场，受益群众达1万人次（科普部）
二、2~3月份工作
（1）组织“科技之春”宣传月
  ① 举办科普讲座4场，发放宣传资料2000份
  ② 征集科普作品30件，由学会部负责
（2）科技下乡
三、20__年第二季度
1. 学术年会 责任部门：学会部
四、科普宣传
1. 9月：全国科普日活动（科普部）
2. 每周更新科普画廊一次
`;

describe("parseTextPlan on a science association plan", () => {
  const { rows, findings } = parseTextPlan(ZH_PLAN, { period: YEAR_2025 });

  it("reads headings, markers, owners and quantities of every kind into the expected rows", () => {
    expect(rows.map(brief)).toEqual([
      {
        line: 4,
        bucket: "annual",
        activity: "全年发行《科普通讯》12期",
        owner: "科普部",
        coOwners: [],
        category: "",
        target: 12,
        unit: "期",
      },
      {
        line: 5,
        bucket: "annual",
        activity: "维护科普微信公众号",
        owner: "办公室",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 7,
        bucket: "2025-01",
        activity: "召开年度工作会议",
        owner: "办公室",
        coOwners: ["学会部"],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 8,
        bucket: "2025-01",
        activity: "开展新春科普进社区活动3场，受益群众达1万人次",
        owner: "科普部",
        coOwners: [],
        category: "",
        target: 3,
        unit: "场",
      },
      {
        line: 11,
        bucket: "2025-03",
        activity: "举办科普讲座4场",
        owner: "",
        coOwners: [],
        category: "组织“科技之春”宣传月",
        target: 4,
        unit: "场",
      },
      {
        line: 11,
        bucket: "2025-03",
        activity: "发放宣传资料2000份",
        owner: "",
        coOwners: [],
        category: "组织“科技之春”宣传月",
        target: 2000,
        unit: "份",
      },
      {
        line: 12,
        bucket: "2025-03",
        activity: "征集科普作品30件",
        owner: "学会部",
        coOwners: [],
        category: "组织“科技之春”宣传月",
        target: 30,
        unit: "件",
      },
      {
        line: 13,
        bucket: "2025-03",
        activity: "科技下乡",
        owner: "",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 15,
        bucket: "2025-06",
        activity: "学术年会",
        owner: "学会部",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 17,
        bucket: "2025-09",
        activity: "全国科普日活动",
        owner: "科普部",
        coOwners: [],
        category: "科普宣传",
        target: null,
        unit: "",
      },
      {
        line: 18,
        bucket: null,
        activity: "每周更新科普画廊一次",
        owner: "",
        coOwners: [],
        category: "科普宣传",
        target: null,
        unit: "",
      },
    ]);
  });

  it("keeps the wording of month ranges and quarters", () => {
    expect(rows.find((r) => r.line === 11)?.originals).toEqual({ month: "2~3月份" });
    expect(rows.find((r) => r.line === 15)?.originals).toEqual({ month: "20__年第二季度" });
  });

  it("reports missing owners and an item under no month heading", () => {
    expect(findings.map((f) => [f.line, f.code])).toEqual([
      [11, "owner.missing"],
      [11, "owner.missing"],
      [13, "owner.missing"],
      [18, "owner.missing"],
      [18, "month.missing"],
    ]);
    expect(findings[4].message).toEqual({
      "zh-CN": "第18行「每周更新科普画廊一次」不在任何月份标题之下",
      "en-US": 'Line 18: "每周更新科普画廊一次" is not under any month heading',
    });
  });
});

const EN_PLAN = `# 2025–26 Outreach Plan
This plan sets out our outreach for the school year.

## September
1. Welcome fair for new members (Owner: Membership)
2. Run 2-3 group training sessions, 2 radio broadcasts — led by Wellbeing Team
   - Recruit volunteers
   - Book rooms (Facilities)

Sep 2025:
• Publish the welcome pack

## October–November
- Publish 6 issues of the newsletter. Lead: Comms
- Hold 4 workshops (Wellbeing Team)

Ongoing:
- Weekly committee meeting (Owner: Committee)

## Outreach
- Plan the spring fair
`;

describe("parseTextPlan on an English school-year plan", () => {
  const { rows, findings } = parseTextPlan(EN_PLAN, { period: SCHOOL_YEAR, knownOwners: ["Facilities"] });

  it("reads English headings, owners and quantities into the expected rows", () => {
    const parent = "Run 2-3 group training sessions, 2 radio broadcasts";
    expect(rows.map(brief)).toEqual([
      {
        line: 5,
        bucket: "2025-09",
        activity: "Welcome fair for new members",
        owner: "Membership",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 6,
        bucket: "2025-09",
        activity: "Run 2-3 group training sessions",
        owner: "Wellbeing Team",
        coOwners: [],
        category: "",
        target: 2,
        unit: "sessions",
      },
      {
        line: 6,
        bucket: "2025-09",
        activity: "2 radio broadcasts",
        owner: "Wellbeing Team",
        coOwners: [],
        category: "",
        target: 2,
        unit: "broadcasts",
      },
      {
        line: 7,
        bucket: "2025-09",
        activity: "Recruit volunteers",
        owner: "Wellbeing Team",
        coOwners: [],
        category: parent,
        target: null,
        unit: "",
      },
      {
        line: 8,
        bucket: "2025-09",
        activity: "Book rooms",
        owner: "Facilities",
        coOwners: [],
        category: parent,
        target: null,
        unit: "",
      },
      {
        line: 11,
        bucket: "2025-09",
        activity: "Publish the welcome pack",
        owner: "",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 14,
        bucket: "2025-11",
        activity: "Publish 6 issues of the newsletter",
        owner: "Comms",
        coOwners: [],
        category: "",
        target: 6,
        unit: "issues",
      },
      {
        line: 15,
        bucket: "2025-11",
        activity: "Hold 4 workshops",
        owner: "Wellbeing Team",
        coOwners: [],
        category: "",
        target: 4,
        unit: "workshops",
      },
      {
        line: 18,
        bucket: "annual",
        activity: "Weekly committee meeting",
        owner: "Committee",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
      {
        line: 21,
        bucket: null,
        activity: "Plan the spring fair",
        owner: "",
        coOwners: [],
        category: "Outreach",
        target: null,
        unit: "",
      },
    ]);
    expect(rows[1].originals).toEqual({ target: "2-3 sessions" });
    expect(rows[6].originals).toEqual({ month: "October–November" });
  });

  it("skips the title and the preamble paragraph", () => {
    expect(rows.some((r) => r.line <= 2)).toBe(false);
    expect(findings.map((f) => [f.line, f.code])).toEqual([
      [11, "owner.missing"],
      [21, "owner.missing"],
      [21, "month.missing"],
    ]);
  });
});

describe("parseTextPlan headings", () => {
  it.each([
    ["一、xx年9月份工作", "2025-09"],
    ["二、11月份工作", "2025-11"],
    ["四、xx年3~4月份工作", "2026-04"],
    ["五、20xx年5月份", "2026-05"],
    ["六、20__年6月", "2026-06"],
    ["September", "2025-09"],
    ["Sep 2025:", "2025-09"],
    ["October–November", "2025-11"],
    ["# 2026年1月", "2026-01"],
    ["## 12月工作安排", "2025-12"],
    ["### March plan", "2026-03"],
    ["第三季度", "2025-09"],
    ["常规工作", "annual"],
    ["常规工作：", "annual"],
    ["全年", "annual"],
    ["二、全年工作", "annual"],
    ["Ongoing:", "annual"],
    ["## Routine work", "annual"],
  ])("reads %p as %p", (heading, bucket) => {
    expect(rowsOf(`${heading}\n1. 召开例会`).map((r) => r.bucket)).toEqual([bucket]);
  });

  it("reports a heading whose year is outside the period once, leaving its items without a month", () => {
    const { rows, findings } = parseTextPlan("一、2024年3月份工作\n1. 甲\n2. 乙", { period: SCHOOL_YEAR });
    expect(rows.map((r) => r.bucket)).toEqual([null, null]);
    expect(findings.filter((f) => f.code === "month.outsidePeriod")).toEqual([
      expect.objectContaining({
        line: 2,
        value: "2024年3月份",
        message: {
          "zh-CN": "第2行的月份「2024年3月份」不在计划期内（2025-09至2026-08）",
          "en-US": 'Line 2: the month "2024年3月份" is outside the plan period (2025-09 to 2026-08)',
        },
      }),
    ]);
  });

  it("ends a month at the next top-level section heading but not at a nested one", () => {
    const rows = rowsOf("# 9月\n## 宣传\n- 甲\n# 活动\n- 乙");
    expect(rows.map((r) => [r.activity, r.bucket, r.category])).toEqual([
      ["甲", "2025-09", "宣传"],
      ["乙", null, "活动"],
    ]);
  });

  it("reads an item's own leading month", () => {
    expect(
      rowsOf("一、科普宣传\n1. 9月：科普日\n2. 2026年3~4月，科技周\n3. Oct: fair").map((r) => [r.activity, r.bucket]),
    ).toEqual([
      ["科普日", "2025-09"],
      ["科技周", "2026-04"],
      ["fair", "2025-10"],
    ]);
  });
});

describe("parseTextPlan items", () => {
  it.each([
    "1. 召开例会",
    "1、召开例会",
    "1）召开例会",
    "(1) 召开例会",
    "（1）召开例会",
    "（一）召开例会",
    "① 召开例会",
    "- 召开例会",
    "• 召开例会",
    "* 召开例会",
    "- [ ] 召开例会",
    "3召开例会",
  ])("reads the item marker in %p", (line) => {
    expect(rowsOf(`9月\n${line}`).map((r) => r.activity)).toEqual(["召开例会"]);
  });

  it("does not read a month or count at the start of a line as a marker", () => {
    const rows = rowsOf("9月\n1. 甲\n3月份另行安排");
    expect(rows.map((r) => [r.activity, r.notes])).toEqual([["甲", "3月份另行安排"]]);
  });

  it("returns to a marker style's level when it comes back", () => {
    const rows = rowsOf("9月\n1. 甲\n(1) 子一\n① 孙\n(2) 子二\n2. 乙");
    expect(rows.map((r) => [r.activity, r.category])).toEqual([
      ["孙", "子一"],
      ["子二", "甲"],
      ["乙", ""],
    ]);
  });

  it("nests Markdown bullets by indentation", () => {
    const rows = rowsOf("## 9月\n- 迎新\n  - 布置会场\n  - 招募志愿者\n- 例会");
    expect(rows.map((r) => [r.activity, r.category])).toEqual([
      ["布置会场", "迎新"],
      ["招募志愿者", "迎新"],
      ["例会", ""],
    ]);
  });

  it("keeps a parent item that states its own quantity as a row", () => {
    const rows = rowsOf("9月\n1. 开展讲座3场（科普部负责）\n(1) 联系专家");
    expect(rows.map((r) => [r.activity, r.target, r.owner, r.category])).toEqual([
      ["开展讲座3场", 3, "科普部", ""],
      ["联系专家", null, "科普部", "开展讲座3场"],
    ]);
  });

  it("treats every line of text without headings or markers as an item", () => {
    const { rows, findings } = parseTextPlan("召开理事会\n\n开展科普讲座2场", { period: SCHOOL_YEAR });
    expect(rows.map((r) => [r.line, r.activity, r.bucket, r.target])).toEqual([
      [1, "召开理事会", null, null],
      [3, "开展科普讲座2场", null, 2],
    ]);
    expect(findings.filter((f) => f.code === "month.missing")).toHaveLength(2);
  });

  it("reports that there are no items in empty text or a heading-only text", () => {
    for (const text of ["", "   \n\n", "一、9月份工作\n二、10月份工作"]) {
      const { rows, findings } = parseTextPlan(text, { period: SCHOOL_YEAR });
      expect(rows).toEqual([]);
      expect(findings).toEqual([
        {
          line: 0,
          code: "items.none",
          severity: "error",
          field: null,
          value: "",
          message: {
            "zh-CN": "没有找到计划事项：请按“一、9月份工作”换行“1. 开展……”的格式粘贴",
            "en-US":
              'No activities found: paste a heading such as "September" followed by activities such as "1. Run …"',
          },
        },
      ]);
    }
  });
});

describe("parseTextPlan owners in brackets and from the open ledger (issue 16 §5)", () => {
  it.each([
    ["1. 召开理事会（办公室）", "召开理事会", "办公室", []],
    ["1. 发行通讯6期（科普部、学会部）", "发行通讯6期", "科普部", ["学会部"]],
    ["1. 举办培训(秘书处)。", "举办培训", "秘书处", []],
    ["1. 开展科普讲座4场，牵头：学会部", "开展科普讲座4场", "学会部", []],
    ["1. 组织部负责换届筹备", "组织部负责换届筹备", "组织部", []],
    ["1. Hold the council meeting (Office)", "Hold the council meeting", "Office", []],
    [
      "1. Publish 6 issues of the newsletter (Outreach Team / Office)",
      "Publish 6 issues of the newsletter",
      "Outreach Team",
      ["Office"],
    ],
  ])("reads %p", (line, activity, owner, coOwners) => {
    expect(rowsOf(`9月\n${line}`).map((r) => [r.activity, r.owner, r.coOwners])).toEqual([[activity, owner, coOwners]]);
  });

  it.each([
    "1. 开展活动（线上）",
    "1. 征文比赛（第3届）",
    "1. Run 4 workshops (online)",
    "1. Training (optional)",
    "1. Fair (Q3 2025)",
  ])("keeps a bracket that names no owner in the activity: %p", (line) => {
    const [row] = rowsOf(`9月\n${line}`);
    expect(row.owner).toBe("");
    expect(row.activity).toBe(line.slice(3));
  });

  it("knows the ledger's owners, categories and units", () => {
    const { rows } = parseTextPlan("9月\n1. 科普宣传：发放资料3批次（青少年科技教育）\n2. 走访会员单位", {
      period: SCHOOL_YEAR,
      knownOwners: ["青少年科技教育"],
      knownCategories: ["科普宣传"],
      knownUnits: ["批次"],
    });
    expect(rows.map(brief)).toEqual([
      {
        line: 2,
        bucket: "2025-09",
        activity: "发放资料3批次",
        owner: "青少年科技教育",
        coOwners: [],
        category: "科普宣传",
        target: 3,
        unit: "批次",
      },
      {
        line: 3,
        bucket: "2025-09",
        activity: "走访会员单位",
        owner: "",
        coOwners: [],
        category: "",
        target: null,
        unit: "",
      },
    ]);
    // Without the ledger: no owner (the name does not end like an organisation's), no category, 批 as the unit.
    const [alone] = rowsOf("9月\n1. 科普宣传：发放资料3批次（青少年科技教育）");
    expect([alone.owner, alone.category, alone.unit]).toEqual(["", "", "批"]);
  });
});

describe("parseTextPlan owners", () => {
  it.each([
    ["1. 开展科普讲座，由科普部负责", "开展科普讲座", "科普部"],
    ["1. 问卷整理由心康部负责", "问卷整理由心康部负责", "心康部"],
    ["1. 心理实践社负责团训工作", "心理实践社负责团训工作", "心理实践社"],
    ["1. 开展科普讲座（科普部负责）", "开展科普讲座", "科普部"],
    ["1. 开展科普讲座 责任单位：科普部", "开展科普讲座", "科普部"],
    ["1. 开展科普讲座；牵头：科普部", "开展科普讲座", "科普部"],
    ["1. 开展科普讲座（责任部门：科普部）", "开展科普讲座", "科普部"],
    ["1. Science fair. Owner: Science Dept", "Science fair", "Science Dept"],
    ["1. Science fair (Lead: Science Dept)", "Science fair", "Science Dept"],
    ["1. Science fair led by Science Dept", "Science fair", "Science Dept"],
  ])("reads %p", (line, activity, owner) => {
    expect(rowsOf(`9月\n${line}`).map((r) => [r.activity, r.owner])).toEqual([[activity, owner]]);
  });

  it("does not take 负责人 or a vague word for an owner", () => {
    expect(rowsOf("9月\n1. 由团训负责人负责安排").map((r) => r.owner)).toEqual(["团训负责人"]);
    expect(rowsOf("9月\n1. 主要负责宣传工作").map((r) => r.owner)).toEqual([""]);
  });

  it("reads (X) as the owner only when X is an owner named elsewhere or known", () => {
    const text = "9月\n1. 科普讲座（科普部）\n2. 科技周（秋季）\n3. 科普日（科普部负责）";
    expect(rowsOf(text).map((r) => [r.activity, r.owner])).toEqual([
      ["科普讲座", "科普部"],
      ["科技周（秋季）", ""],
      ["科普日", "科普部"],
    ]);
    expect(rowsOf("9月\n1. 科技周（办公室）", SCHOOL_YEAR, ["办公室"]).map((r) => [r.activity, r.owner])).toEqual([
      ["科技周", "办公室"],
    ]);
  });

  it("takes the first of several owners as lead and keeps the others", () => {
    expect(rowsOf("9月\n1. 年会 牵头：学会部、办公室/财务组").map((r) => [r.owner, r.coOwners])).toEqual([
      ["学会部", ["办公室", "财务组"]],
    ]);
  });

  it("reads an owner on a line of its own below the item", () => {
    const rows = rowsOf("9月\n1. 开展科普讲座4场\n责任单位：科普部\n2. 例会");
    expect(rows.map((r) => [r.activity, r.owner, r.notes])).toEqual([
      ["开展科普讲座4场", "科普部", ""],
      ["例会", "", ""],
    ]);
  });
});

describe("parseTextPlan quantities", () => {
  it.each([
    ["开展2~3次团训活动", 2, "次", "2~3次"],
    ["受益群众达1万人次", 10000, "人次", undefined],
    ["筹集经费5万元", 5, "万元", undefined],
    ["发展会员约20名", 20, "名", "约20名"],
    ["举办两场讲座", 2, "场", undefined],
    ["满意度达到95%", 0.95, "%", undefined],
    ["Hold about 20 talks", 20, "talks", "20 talks"],
    ["Reach 3 Science Day events", 3, "events", undefined],
  ])("reads %p as %p %p", (text, target, unit, wording) => {
    const [row] = rowsOf(`9月\n1. ${text}`);
    expect([row.target, row.unit, row.originals.target]).toEqual([target, unit, wording]);
  });

  it.each(["每周召开例会一次", "第3届科技节", "为期3个月的培训", "每次5~6人", "Meet every week 2 times", "统一部署"])(
    "takes no target from %p",
    (text) => {
      expect(rowsOf(`9月\n1. ${text}`).map((r) => r.target)).toEqual([null]);
    },
  );

  it("splits an item that lists several quantified activities, but not one with an outcome measure", () => {
    expect(rowsOf("9月\n1. 举办讲座4场、展览2次和培训1期").map((r) => [r.activity, r.target, r.unit])).toEqual([
      ["举办讲座4场", 4, "场"],
      ["展览2次和培训1期", 2, "次"],
    ]);
    expect(rowsOf("9月\n1. Run 2 workshops and 3 talks").map((r) => [r.activity, r.target])).toEqual([
      ["Run 2 workshops", 2],
      ["3 talks", 3],
    ]);
    expect(rowsOf("9月\n1. 开展活动3场，覆盖学生500人").map((r) => [r.target, r.unit])).toEqual([[3, "场"]]);
  });
});

describe("parseTextPlan totality", () => {
  const pieces = [
    "一、",
    "9月",
    "xx年3~4月份工作",
    "常规工作:",
    "1.",
    "(1)",
    "①",
    "- ",
    "  ",
    "由",
    "负责",
    "（",
    "）",
    "科普部",
    "2~3次",
    "每周",
    "Owner: ",
    "Sep",
    "\n",
    "\n",
    "，",
    "。",
    "#",
    "September",
    "开展讲座",
    "第",
    "一场",
  ];

  it("never throws and ties every row to a real source line", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        const { rows, findings } = parseTextPlan(text, { period: SCHOOL_YEAR });
        const lines = text.split(/\r\n|\r|\n/);
        for (const r of rows) {
          expect(r.source).toBe(cleanText(lines[r.line - 1]));
          expect(r.activity).not.toBe("");
        }
        expect(rows.length > 0 || findings.some((f) => f.code === "items.none")).toBe(true);
      }),
    );
  });

  it("throws a RangeError for a malformed period, a programming error", () => {
    expect(() => parseTextPlan("9月\n1. 甲", { period: { start: "2025", end: "" } })).toThrow(RangeError);
  });

  it("parses a long plan quickly", () => {
    const big = Array.from(
      { length: 2000 },
      (_, i) => `${(i % 12) + 1}月\n1. 开展讲座${i}场（科普部负责）\n(1) 联系专家`,
    ).join("\n");
    const t0 = performance.now();
    const { rows } = parseTextPlan(big, { period: SCHOOL_YEAR });
    const ms = performance.now() - t0;
    expect(rows).toHaveLength(4000);
    expect(ms).toBeLessThan(2000);
  });
});
