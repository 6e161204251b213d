/**
 * The demo item catalogue (事项), modelled on Henan's published service guides (办事指南): one template
 * per line, instantiated for every city (全市), for 郑州 only (郑州), or for every district (区县).
 * Limits are working days (statutory/promised); most items are free, fees cite the standard they follow.
 * A certificate type marked `*` is one whose data a national ministry determines. The applicant column
 * and the weight (relative frequency of cases) steer the demo's case generator only.
 *
 * @module
 */
import { type Item, SPECIAL_PROCEDURES, type SpecialProcedure } from "../../rules/types.ts";
import { CITY_CODES, cityOf, districtsOf } from "./henan.ts";

/** An item with what the demo generator needs to make believable cases of it. */
export interface DemoItem {
  item: Item;
  /** Relative frequency of cases. */
  weight: number;
  applicant: "person" | "organization";
  /** Trades for company names (郑州市鑫源<trade>有限公司). */
  trades: string[];
}

const STEP_SETS: Record<string, string[]> = {
  STD: ["受理", "审查", "决定", "送达"],
  SITE: ["受理", "审查", "现场核查", "决定", "送达"],
  TECH: ["受理", "技术审查", "审批", "决定", "送达"],
  INSTANT: ["受理", "审核", "办结"],
  LICENCE: ["受理", "审核", "核准", "发照"],
};

// scope | department | kind | name | S/N | steps | required | optional | special | fee | certificate | intermediary | applicant | weight
const CATALOGUE = `
全市 | SCJGJ | XK | 食品经营许可 | 20/10 | SITE | 食品经营许可申请书、营业执照、法定代表人身份证明、经营场所平面图、食品安全管理制度 | 授权委托书 | - | - | 食品经营许可证: 许可证编号、经营者名称、统一社会信用代码、法定代表人、经营场所、主体业态、经营项目、有效期至 | - | 单位: 食品、餐饮管理、商贸 | 10
全市 | SCJGJ | XK | 营业执照设立登记 | 3/1 | LICENCE | 公司登记(备案)申请书、公司章程、股东主体资格证明、法定代表人任职文件、住所使用证明 | 授权委托书 | - | - | 营业执照*: 统一社会信用代码、名称、类型、法定代表人、注册资本、成立日期、住所 | - | 单位: 商贸、科技、餐饮管理、建筑工程、文化传媒 | 4
郑州 | SCJGJ | QR | 特种设备使用登记 | 15/5 | STD | 特种设备使用登记表、产品合格证、监督检验证明、营业执照 | - | 检验 | - | 特种设备使用登记证: 登记证编号、使用单位、设备类别、设备代码、登记日期 | - | 单位: 机械制造、物业服务 | 3
郑州 | SCJGJ | XK | 药品零售企业经营许可 | 15/10 | SITE | 药品经营许可申请表、营业执照、执业药师注册证、经营场所证明、质量管理文件 | - | - | - | 药品经营许可证: 证号、企业名称、注册地址、法定代表人、质量负责人、经营范围、有效期至 | - | 单位: 大药房、医药连锁 | 2
全市 | RLZYHSHBZJ | GF | 社会保障卡补办 | 5/0 | INSTANT | 居民身份证 | - | - | - | - | - | 个人 | 18
全市 | RLZYHSHBZJ | GF | 失业保险金申领 | 10/3 | STD | 居民身份证、解除劳动合同证明、社会保障卡 | - | - | - | - | - | 个人 | 6
郑州 | RLZYHSHBZJ | XK | 人力资源服务许可 | 20/10 | STD | 人力资源服务许可申请表、营业执照、经营场所使用证明、专职工作人员资格证明、工作规章制度 | - | - | - | 人力资源服务许可证: 许可证编号、机构名称、法定代表人、住所、服务范围、有效期至 | - | 单位: 人力资源服务、企业管理咨询 | 2
郑州 | RLZYHSHBZJ | XK | 劳务派遣经营许可 | 20/10 | STD | 劳务派遣经营许可申请书、营业执照、经营场所使用证明、劳务派遣管理制度 | - | - | - | 劳务派遣经营许可证: 许可证编号、单位名称、住所、法定代表人、注册资本、有效期至 | - | 单位: 劳务派遣、人力资源服务 | 2
全市 | WSJKWYH | XK | 医师执业注册 | 20/10 | STD | 医师执业注册申请审核表、医师资格证书、居民身份证、健康证明、拟执业机构聘用证明 | 近期二寸免冠照片 | - | - | 医师执业证书*: 姓名、性别、证书编码、执业类别、执业范围、执业地点、发证日期 | - | 个人 | 5
郑州 | WSJKWYH | XK | 护士执业注册 | 20/5 | STD | 护士执业注册申请审核表、护士执业资格考试成绩合格证明、居民身份证、健康体检证明 | - | - | - | 护士执业证书*: 姓名、性别、证书编号、执业地点、发证日期 | - | 个人 | 4
郑州 | WSJKWYH | XK | 医疗机构执业登记 | 45/20 | SITE | 医疗机构执业登记申请书、设置医疗机构批准书、房屋产权证明、验资证明、医疗机构规章制度 | - | 专家评审、检测 | - | 医疗机构执业许可证: 登记号、机构名称、地址、法定代表人、主要负责人、诊疗科目、有效期限 | - | 单位: 医院管理、口腔门诊 | 1
郑州 | WSJKWYH | XK | 公共场所卫生许可 | 20/5 | SITE | 公共场所卫生许可申请表、营业执照、卫生管理制度、从业人员健康合格证明 | - | 检测 | - | 公共场所卫生许可证: 许可证号、单位名称、法定代表人、地址、许可项目、有效期限 | - | 单位: 酒店管理、健身服务、美容美发 | 4
全市 | GAJ | GF | 居民身份证换领 | 30/15 | 受理、审核、制证、发证 | 居民户口簿、原居民身份证 | - | - | 20 居民身份证工本费标准(国家发展改革委、财政部核定) | - | - | 个人 | 8
全市 | GAJ | QR | 户口迁入登记 | 10/2 | STD | 居民户口簿、居民身份证、房屋所有权证明 | 结婚证 | - | - | - | - | 个人 | 5
郑州 | GAJ | XK | 大型群众性活动安全许可 | 7/3 | SITE | 大型群众性活动安全许可申请书、活动方案、安全工作方案、场所管理者同意证明 | - | - | - | - | - | 单位: 文化传媒、体育发展 | 1
郑州 | GAJ | XK | 剧毒化学品购买许可 | 3/1 | STD | 剧毒化学品购买申请表、营业执照、购买用途说明、经办人身份证明 | - | - | - | 剧毒化学品购买许可证*: 证号、购买单位、品名、数量、有效期 | - | 单位: 化工、精细化工 | 1
全市 | JTYSJ | XK | 道路运输经营许可 | 20/5 | STD | 道路货物运输经营申请表、负责人身份证明、机动车辆行驶证、驾驶人员从业资格证、安全生产管理制度 | - | - | - | 道路运输经营许可证*: 许可证号、业户名称、地址、经营范围、有效期至 | - | 单位: 物流、运输、供应链管理 | 4
郑州 | JTYSJ | QR | 道路运输从业人员从业资格证核发 | 10/5 | STD | 从业资格申请表、居民身份证、机动车驾驶证、考试合格证明 | - | - | - | 道路运输从业人员从业资格证*: 姓名、证号、从业资格类别、有效期至 | - | 个人 | 3
全市 | ZRZYHGHJ | XK | 建设工程规划许可证核发 | 20/10 | TECH | 建设工程规划许可申请表、土地权属证明、建设工程设计方案、总平面图、建筑施工图 | - | 专家评审、批前公示 | - | 建设工程规划许可证: 证书编号、建设单位、建设项目名称、建设位置、建设规模、发证日期 | 有中介 | 单位: 置业、房地产开发 | 3
郑州 | ZRZYHGHJ | XK | 建设用地规划许可证核发 | 20/10 | TECH | 建设用地规划许可申请表、土地出让合同、规划条件、用地红线图 | - | 批前公示 | - | 建设用地规划许可证: 证书编号、用地单位、用地项目名称、用地位置、用地面积、发证日期 | - | 单位: 置业、房地产开发 | 2
全市 | ZRZYHGHJ | QR | 不动产转移登记 | 30/5 | 受理、审核、登簿、缮证、发证 | 不动产登记申请书、申请人身份证明、不动产权属证书、转移登记原因证明文件、完税凭证 | - | - | 80 《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号) | 不动产权证书*: 不动产权证号、权利人、共有情况、坐落、不动产单元号、权利类型、面积 | - | 个人 | 9
全市 | ZFHCXJSJ | XK | 建筑工程施工许可证核发 | 7/3 | STD | 建筑工程施工许可申请表、建设工程规划许可证、施工合同、施工图审查合格书、质量安全监督手续 | - | - | - | 建筑工程施工许可证*: 编号、建设单位、工程名称、建设地址、建设规模、合同价格、施工单位、发证日期 | - | 单位: 置业、建筑工程、房地产开发 | 3
郑州 | ZFHCXJSJ | XK | 商品房预售许可 | 10/5 | SITE | 商品房预售许可申请表、营业执照、土地使用权证书、建设工程规划许可证、施工许可证、预售方案 | - | - | - | 商品房预售许可证: 许可证号、开发企业、项目名称、坐落、预售面积、发证日期 | - | 单位: 置业、房地产开发 | 2
郑州 | ZFHCXJSJ | XK | 建筑业企业资质核准 | 20/10 | TECH | 建筑业企业资质申请表、营业执照、技术负责人资格证明、注册建造师证明 | - | 专家评审 | - | 建筑业企业资质证书*: 证书编号、企业名称、统一社会信用代码、资质类别及等级、有效期 | - | 单位: 建筑工程、市政工程 | 1
全市 | STHJJ | XK | 排污许可证核发 | 20/15 | TECH | 排污许可证申请表、自行监测方案、守法承诺书、排污口和监测孔规范化设置情况说明 | - | 专家评审、检测 | - | 排污许可证*: 证书编号、单位名称、注册地址、行业类别、生产经营场所地址、有效期限 | - | 单位: 化工、机械制造、食品 | 2
郑州 | STHJJ | XK | 建设项目环境影响报告书审批 | 60/30 | TECH | 环境影响报告书、审批申请文件、公众参与说明 | - | 专家评审、听证、批前公示 | - | - | 有中介 | 单位: 新材料、能源、化工 | 1
郑州 | STHJJ | XK | 危险废物经营许可 | 20/15 | SITE | 危险废物经营许可证申请书、营业执照、技术人员证明、处置设施说明、污染防治措施 | - | 专家评审、检测 | - | 危险废物经营许可证: 编号、法人名称、住所、经营设施地址、核准经营方式、有效期限 | - | 单位: 环保科技、再生资源 | 1
区县 | SCJGJ | XK | 个体工商户注册登记 | 3/1 | LICENCE | 个体工商户登记(备案)申请书、经营者身份证明、经营场所使用证明 | - | - | - | 营业执照*: 统一社会信用代码、名称、经营者、组成形式、经营场所、注册日期 | - | 个人 | 4
区县 | RLZYHSHBZJ | GF | 社会保障卡补办 | 5/0 | INSTANT | 居民身份证 | - | - | - | - | - | 个人 | 10
区县 | MZJ | QR | 结婚登记 | 0/0 | INSTANT | 居民户口簿、居民身份证、无配偶及无禁止结婚亲属关系签字声明 | - | - | - | 结婚证*: 持证人、登记日期、结婚证字号、登记机关 | - | 个人 | 6
`;

interface Template {
  scope: string;
  build: (region: string, seq: number) => DemoItem;
}

const list = (s: string): string[] => (s === "-" ? [] : s.split("、"));

function parseLine(line: string): Template {
  const [
    scope,
    dept,
    kind,
    name,
    limits,
    steps,
    required,
    optional,
    special,
    fee,
    cert,
    intermediary,
    who,
    weight,
  ] = line.split(" | ");
  const [s, n] = limits.split("/").map(Number);
  const procedures = list(special);
  for (const p of procedures) {
    if (!(SPECIAL_PROCEDURES as readonly string[]).includes(p)) throw new Error(`unknown procedure ${p}`);
  }
  const [feeMax, ...feeBasis] = fee.split(" ");
  const [certType, certFields] = cert.split(": ");
  const [applicant, trades] = who.split(": ");
  return {
    scope,
    build: (region, seq) => ({
      item: {
        code: `${region}-${dept}-${kind}-${String(seq).padStart(4, "0")}`,
        name,
        department: `${region}-${dept}`,
        statutoryDays: s,
        promisedDays: n,
        steps: STEP_SETS[steps] ?? list(steps),
        materials: { required: list(required), optional: list(optional) },
        specialProcedures: procedures as SpecialProcedure[],
        fee: fee === "-" ? null : { max: Number(feeMax), basis: feeBasis.join(" ") },
        promisedVisits: 1,
        intermediaryFree: intermediary === "-",
        certificate: cert === "-" ? null : {
          type: certType.replace("*", ""),
          fields: list(certFields),
          nationallyDetermined: certType.endsWith("*"),
        },
      },
      weight: Number(weight),
      applicant: applicant === "个人" ? "person" : "organization",
      trades: trades ? list(trades) : ["商贸"],
    }),
  };
}

function catalogue(): DemoItem[] {
  const templates = CATALOGUE.trim().split("\n").map(parseLine);
  const out: DemoItem[] = [];
  for (const [i, city] of CITY_CODES.entries()) {
    const mine = templates.filter((t) => t.scope === "全市" || (t.scope === "郑州" && i === 0));
    mine.forEach((t, k) => out.push(t.build(city, k + 1)));
    for (const district of districtsOf(city)) {
      templates.filter((t) => t.scope === "区县").forEach((t, k) => out.push(t.build(district, k + 1)));
    }
  }
  return out;
}

/** Every demo item with its generator hints. */
export const DEMO_ITEMS: DemoItem[] = catalogue();

/** The demo item catalogue as EXCHANGE.md items. */
export const HENAN_ITEMS: Item[] = DEMO_ITEMS.map((d) => d.item);

/** The city (code, name, area code) an item's department belongs to. */
export function itemCity(item: Item): { code: string; name: string; areaCode: string } {
  return cityOf(item.department.split("-")[0]);
}
