import JSZip from "jszip";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { codeOf } from "../../../support/errors";

function hostWithChart(): OfflineHost {
  const model = createWorkbookModel();
  sheetFromGrid(model, "S", [
    ["Owner", "Done", "Rate"],
    ["Office", 3, 0.5],
    ["Outreach", 1, 1.2],
  ]);
  return new OfflineHost(model);
}

describe("chart value axes on the offline host", () => {
  test("minimum, maximum, majorUnit and numberFormat are set, read back, written to .xlsx and read again", async () => {
    const host = hostWithChart();
    await host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("S");
      const chart = ws.charts.add("BarClustered", ws.getRange("C2:C3"), "Columns");
      chart.name = "Rates";
      const axis = chart.axes.getItem("Value", "Primary");
      axis.minimum = 0;
      axis.maximum = 1.5;
      axis.majorUnit = 0.25;
      axis.numberFormat = "0%";
      await context.sync();
      axis.load("minimum,maximum,majorUnit,numberFormat");
      await context.sync();
      expect([axis.minimum, axis.maximum, axis.majorUnit, axis.numberFormat]).toEqual([0, 1.5, 0.25, "0%"]);
    });
    const value = host.model.sheets.find((s) => s.name === "S")?.charts?.[0].axes.value;
    expect(value).toMatchObject({ min: 0, max: 1.5, majorUnit: 0.25, numberFormat: "0%" });
    const bytes = await exportXlsx(host.model);
    const xml = (await (await JSZip.loadAsync(bytes)).file("xl/charts/chart1.xml")?.async("string")) ?? "";
    expect(xml).toContain('<c:majorUnit val="0.25"/>');
    expect(xml).toMatch(/<c:max val="1.5"\/><c:min val="0"\/>/);
    const back = await importXlsx(bytes);
    expect(back.sheets.find((s) => s.name === "S")?.charts?.[0].axes.value).toMatchObject({
      min: 0,
      max: 1.5,
      majorUnit: 0.25,
    });
  });

  test("an empty string makes majorUnit automatic again; zero or a negative step is refused", async () => {
    const host = hostWithChart();
    await host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("S");
      const chart = ws.charts.add("BarClustered", ws.getRange("B2:B3"), "Columns");
      chart.axes.valueAxis.majorUnit = 1;
    });
    const axis = () => host.model.sheets.find((s) => s.name === "S")?.charts?.[0].axes.value;
    expect(axis()?.majorUnit).toBe(1);
    const set = (v: number | "") =>
      codeOf(
        host.run(async (context) => {
          const chart = context.workbook.worksheets.getItem("S").charts.getItemAt(0);
          chart.axes.valueAxis.majorUnit = v;
        }),
      );
    expect(await set(0)).toBe("InvalidArgument");
    expect(await set(-2)).toBe("InvalidArgument");
    expect(axis()?.majorUnit).toBe(1);
    expect(await set("")).toBeNull();
    expect(axis()?.majorUnit).toBeUndefined();
  });
});
