// Typing for the SheetJS SSF number formatter (Apache-2.0) that fast-formula-parser ships.
declare module "fast-formula-parser/ssf/ssf" {
  const SSF: { format(fmt: string, value: number | string | boolean, opts?: { date1904?: boolean }): string };
  export = SSF;
}
