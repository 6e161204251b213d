import readXlsxFile from "read-excel-file/universal";
import { toXlsx } from "../server/export/xlsx.ts";
const bytes = await toXlsx("事项", ["事项编码", "法定时限"], [["410000-A", 20], ["x", null], ["=1+1", "12"]]);
const out = await readXlsxFile(new Blob([bytes]));
console.log(JSON.stringify(out));
