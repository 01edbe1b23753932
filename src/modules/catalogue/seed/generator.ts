/**
 * A realistic catalogue of any size, for benchmarks and load tests (never for a real portal): national
 * procedures named the way the national database names them (an action, an object of a sector, a
 * qualifier), and their local variants in each of the 34 provinces, coded like the portal codes them
 * (national code + the province's identifier groups). Usage follows a Zipf law, as in real life a few
 * procedures carry most dossiers. Deterministic: the same size gives the same catalogue.
 */
import { type Kysely, sql } from 'kysely';
import { contentHash } from '../catalogue.service.ts';
import type { CatalogueTables } from '../catalogue.tables.ts';
import type { ProcedureContent } from '../domain/procedure.ts';
import { foldText } from '../domain/search-text.ts';
import { indexDocument } from '../index-document.ts';
import { baseCodeOf, facetKey, rebuildVocabulary, refreshAllFamilies } from '../search.repository.ts';
import { SEED_SECTORS } from './sectors.ts';

/** Small, fast, seeded PRNG (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ACTIONS = [
  'Cấp',
  'Cấp lại',
  'Cấp đổi',
  'Gia hạn',
  'Điều chỉnh',
  'Thu hồi',
  'Đăng ký',
  'Đăng ký thay đổi nội dung',
  'Xác nhận',
  'Thẩm định',
  'Phê duyệt',
  'Công nhận',
  'Cho phép',
  'Thông báo',
  'Chấm dứt',
  'Giải quyết',
];

/** Objects of each sector group, with the sector code they belong to and the level that handles them. */
const OBJECTS: Array<{ sector: string; level: 'central' | 'province' | 'commune'; things: string[] }> = [
  {
    sector: 'YT-KCB',
    level: 'province',
    things: [
      'giấy phép hoạt động khám bệnh, chữa bệnh',
      'chứng chỉ hành nghề khám bệnh, chữa bệnh',
      'chứng chỉ hành nghề dược',
      'giấy chứng nhận đủ điều kiện kinh doanh dược',
      'giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
      'giấy phép hoạt động phòng khám đa khoa',
      'giấy chứng nhận đạt thực hành tốt phân phối thuốc',
      'giấy xác nhận nội dung quảng cáo thực phẩm',
    ],
  },
  {
    sector: 'GD-DAOTAO',
    level: 'province',
    things: [
      'giấy phép hoạt động giáo dục',
      'quyết định thành lập trường mầm non',
      'quyết định cho phép hoạt động giáo dục nghề nghiệp',
      'giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp',
      'văn bằng, chứng chỉ',
      'giấy phép tổ chức hoạt động dạy thêm, học thêm',
      'quyết định công nhận trường đạt chuẩn quốc gia',
    ],
  },
  {
    sector: 'XD-HDXD',
    level: 'province',
    things: [
      'giấy phép xây dựng công trình',
      'chứng chỉ hành nghề hoạt động xây dựng',
      'chứng chỉ năng lực hoạt động xây dựng',
      'giấy phép thi công công trình trên đường bộ đang khai thác',
      'giấy phép kinh doanh vận tải bằng xe ô tô',
      'phù hiệu xe kinh doanh vận tải',
      'giấy chứng nhận thẩm duyệt thiết kế',
      'giấy phép hoạt động bến thủy nội địa',
    ],
  },
  {
    sector: 'CT-THUONGMAI',
    level: 'province',
    things: [
      'giấy phép bán lẻ sản phẩm rượu',
      'giấy phép sản xuất rượu thủ công',
      'giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu',
      'giấy phép kinh doanh bán lẻ sản phẩm thuốc lá',
      'giấy phép thành lập cơ sở bán lẻ',
      'giấy chứng nhận đủ điều kiện kinh doanh khí',
      'giấy phép hoạt động điện lực',
    ],
  },
  {
    sector: 'NNMT-MOITRUONG',
    level: 'province',
    things: [
      'giấy phép môi trường',
      'giấy phép khai thác, sử dụng nước mặt',
      'giấy phép khai thác khoáng sản',
      'giấy chứng nhận kiểm dịch động vật',
      'quyết định giao đất, cho thuê đất',
      'giấy phép xả nước thải vào nguồn nước',
      'giấy chứng nhận cơ sở an toàn dịch bệnh động vật',
      'giấy phép khai thác thủy sản',
    ],
  },
  {
    sector: 'VH-DULICH',
    level: 'province',
    things: [
      'giấy phép tổ chức biểu diễn nghệ thuật',
      'giấy phép đủ điều kiện kinh doanh dịch vụ karaoke',
      'giấy phép kinh doanh dịch vụ lữ hành nội địa',
      'thẻ hướng dẫn viên du lịch',
      'giấy phép tổ chức lễ hội',
      'quyết định công nhận hạng cơ sở lưu trú du lịch',
      'giấy phép xuất bản bản tin',
    ],
  },
  {
    sector: 'NV-VIECLAM',
    level: 'province',
    things: [
      'giấy phép lao động cho người lao động nước ngoài',
      'giấy phép hoạt động dịch vụ việc làm',
      'giấy phép cho thuê lại lao động',
      'chế độ hưởng lương hưu',
      'chế độ ốm đau, thai sản',
      'trợ cấp thất nghiệp',
      'hợp đồng cung ứng lao động đi làm việc ở nước ngoài',
    ],
  },
  {
    sector: 'TP-HANHNGHE',
    level: 'province',
    things: [
      'chứng chỉ hành nghề luật sư',
      'thẻ công chứng viên',
      'giấy đăng ký hoạt động văn phòng công chứng',
      'giấy đăng ký hoạt động của tổ chức hành nghề luật sư',
      'thẻ thẩm định viên về giá',
      'giấy đăng ký hoạt động trung tâm trọng tài',
    ],
  },
  {
    sector: 'TC-DAUTU',
    level: 'province',
    things: [
      'giấy chứng nhận đăng ký đầu tư',
      'quyết định chủ trương đầu tư',
      'giấy chứng nhận đủ điều kiện kinh doanh dịch vụ kế toán',
      'giấy chứng nhận đăng ký hoạt động chi nhánh',
      'giấy chứng nhận đăng ký địa điểm kinh doanh',
      'giấy chứng nhận ưu đãi đầu tư',
    ],
  },
  {
    sector: 'NV-TOCHUC',
    level: 'commune',
    things: [
      'thành lập hội',
      'ban vận động thành lập hội',
      'điều lệ hội',
      'danh hiệu gia đình văn hóa',
      'hỗ trợ hộ gia đình có hoàn cảnh khó khăn',
      'xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình',
      'trợ cấp mai táng phí',
    ],
  },
];

const QUALIFIERS = [
  '',
  '',
  '',
  ' cho tổ chức',
  ' cho cá nhân',
  ' đối với doanh nghiệp có vốn đầu tư nước ngoài',
  ' trong trường hợp bị mất, hư hỏng',
  ' do thay đổi thông tin',
  ' (thực hiện tại cấp tỉnh)',
  ' (thực hiện tại cấp xã)',
  ' theo thủ tục rút gọn',
];

/** Sectors the generated catalogue adds to the seed's. */
export const GENERATED_SECTORS = [
  { code: 'YT-KCB', name: 'Khám bệnh, chữa bệnh và dược' },
  { code: 'CT-THUONGMAI', name: 'Thương mại, công nghiệp' },
  { code: 'NNMT-MOITRUONG', name: 'Môi trường, tài nguyên nước và khoáng sản' },
  { code: 'VH-DULICH', name: 'Văn hóa, du lịch' },
  { code: 'TP-HANHNGHE', name: 'Bổ trợ tư pháp' },
  { code: 'TC-DAUTU', name: 'Đầu tư' },
  { code: 'NV-TOCHUC', name: 'Tổ chức hội, công tác xã hội' },
];

/** The 34 provincial units from 1 July 2025 (statistical codes). */
const PROVINCES = [
  '01',
  '04',
  '08',
  '11',
  '12',
  '14',
  '15',
  '19',
  '20',
  '22',
  '24',
  '25',
  '31',
  '33',
  '37',
  '38',
  '40',
  '42',
  '44',
  '46',
  '48',
  '51',
  '52',
  '56',
  '66',
  '68',
  '75',
  '79',
  '80',
  '82',
  '86',
  '91',
  '92',
  '96',
];

export interface GeneratedProcedure {
  code: string;
  owner: string;
  province: string | null;
  popularity: number;
  content: ProcedureContent;
}

function baseContent(
  name: string,
  sector: string,
  level: 'central' | 'province' | 'commune',
  r: () => number,
): ProcedureContent {
  const days = [1, 3, 5, 7, 10, 15, 20, 30][Math.floor(r() * 8)]!;
  const fee = [0, 0, 50_000, 100_000, 150_000, 200_000, 500_000, 1_000_000][Math.floor(r() * 8)]!;
  const onlineLevel = r() < 0.45 ? 'full' : r() < 0.8 ? 'partial' : 'none';
  const channels: ProcedureContent['channels'] = [
    {
      channel: 'in-person',
      times: [
        {
          amount: days,
          unit: 'working-day',
          fees: [
            {
              kind: 'le-phi',
              name: 'Lệ phí',
              formula: fee === 0 ? { type: 'free' } : { type: 'fixed', amount: fee },
            },
          ],
        },
      ],
    },
  ];
  if (onlineLevel !== 'none')
    channels.push({
      channel: 'online',
      times: [
        {
          amount: days,
          unit: 'working-day',
          fees: [
            {
              kind: 'le-phi',
              name: 'Lệ phí',
              formula: fee === 0 ? { type: 'free' } : { type: 'fixed', amount: fee },
            },
          ],
        },
      ],
    });
  return {
    name,
    sectorCodes: [sector],
    levels: [level],
    implementingAgencies: [
      {
        name:
          level === 'commune'
            ? 'Ủy ban nhân dân cấp xã'
            : level === 'province'
              ? 'Sở chuyên ngành cấp tỉnh'
              : 'Cục chuyên ngành thuộc bộ',
      },
    ],
    audiences: r() < 0.5 ? ['citizen', 'business'] : r() < 0.5 ? ['business'] : ['citizen'],
    onlineLevel,
    legacyLevel: null,
    channels,
    cases: [
      {
        name: 'Trường hợp chung',
        documents: [
          { code: 'DON', name: 'Đơn đề nghị', originals: 1, copies: 0, required: true },
          {
            code: 'GIAYTO',
            name: 'Giấy tờ chứng minh đủ điều kiện',
            originals: 0,
            copies: 1,
            required: r() < 0.5,
          },
        ],
      },
    ],
    form: {
      fields: [
        { type: 'text', key: 'hoTen', label: { vi: 'Họ, chữ đệm và tên' }, required: true, maxLength: 100 },
        { type: 'file', key: 'don', label: { vi: 'Đơn đề nghị' }, required: true, documentCode: 'DON' },
        {
          type: 'file',
          key: 'giayTo',
          label: { vi: 'Giấy tờ chứng minh đủ điều kiện' },
          required: false,
          documentCode: 'GIAYTO',
        },
      ],
    },
    results: [{ name: 'Văn bản giải quyết thủ tục' }],
    legalBasis: [],
    steps: [],
    conditions: [],
    payment: fee === 0 ? 'none' : 'before',
    after15hRule: false,
    keywords: [],
    sourceNote: 'Thủ tục sinh tự động cho đo hiệu năng; không phải dữ liệu thật.',
  };
}

/** `count` procedures: national ones (codes 3.xxxxxx) and their variants in the provinces. */
export function* generateCatalogue(count: number, seed = 20_260_101): Generator<GeneratedProcedure> {
  const r = prng(seed);
  const perBase = PROVINCES.length + 1;
  const bases = Math.max(1, Math.ceil(count / perBase));
  let made = 0;
  for (let b = 0; b < bases && made < count; b++) {
    const group = OBJECTS[b % OBJECTS.length]!;
    const thing = group.things[Math.floor(b / OBJECTS.length) % group.things.length]!;
    const action = ACTIONS[Math.floor(b / (OBJECTS.length * 8)) % ACTIONS.length]!;
    const qualifier = QUALIFIERS[Math.floor(b / (OBJECTS.length * 8 * ACTIONS.length)) % QUALIFIERS.length]!;
    const name = `${action} ${thing}${qualifier}`;
    const national = `3.${String(b).padStart(6, '0')}`;
    const popularity = Math.floor(2_000_000 / (b + 1) ** 1.1);
    const content = baseContent(name, group.sector, group.level, r);
    yield { code: national, owner: 'CP', province: null, popularity, content };
    made++;
    for (let p = 0; p < PROVINCES.length && made < count; p++) {
      const province = PROVINCES[p]!;
      yield {
        code: `${national}.000.00.00.H${province}`,
        owner: `UBND-${province}`,
        province,
        popularity: Math.floor((popularity * (0.2 + r())) / 20),
        content: { ...content, levels: [group.level === 'central' ? 'province' : group.level] },
      };
      made++;
    }
  }
}

/**
 * Loads a generated catalogue (published, indexed), in batches of set-based inserts, then rebuilds the
 * vocabulary. Idempotent per code (existing codes are skipped).
 */
export async function loadGeneratedCatalogue(
  db: Kysely<CatalogueTables>,
  count: number,
  onProgress?: (n: number) => void,
) {
  for (const s of GENERATED_SECTORS)
    await sql`insert into catalogue.sectors (code, name, name_folded) values (${s.code}, ${s.name}, ${foldText(s.name)}) on conflict (code) do nothing`.execute(
      db,
    );
  const sectorNames = new Map<string, string>([
    ...SEED_SECTORS.map((s) => [s.code, s.name] as const),
    ...GENERATED_SECTORS.map((s) => [s.code, s.name] as const),
  ]);
  const provinceNames = new Map<string, string>();
  const BATCH = 2_000;
  let batch: GeneratedProcedure[] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const at = new Date();
    await db.transaction().execute(async (trx) => {
      await sql`
        insert into catalogue.procedures (code, owner_agency_code, province_code, popularity, origin)
        select * from unnest(${rows.map((x) => x.code)}::text[], ${rows.map((x) => x.owner)}::text[],
                             ${rows.map((x) => x.province)}::text[], ${rows.map((x) => x.popularity)}::int[], ${rows.map(() => 'generated')}::text[])
        on conflict (code) do nothing`.execute(trx);
      await sql`
        insert into catalogue.procedure_versions (code, version, state, name, content, content_hash, origin, published_at, created_at, updated_at)
        select c, 1, 'published', n, j::jsonb, h, 'generated', ${at}, ${at}, ${at}
          from unnest(${rows.map((x) => x.code)}::text[], ${rows.map((x) => x.content.name)}::text[],
                      ${rows.map((x) => JSON.stringify(x.content))}::text[], ${rows.map((x) => contentHash(x.content))}::text[]) as t(c, n, j, h)
        on conflict (code, version) do nothing`.execute(trx);
      const docs = rows.map((x) =>
        indexDocument(x.code, 1, x.content, {
          ownerAgencyCode: x.owner,
          provinceCode: x.province,
          popularity: x.popularity,
          sectorName: (s) => sectorNames.get(s),
          provinceName: (c) => provinceNames.get(c) ?? '',
        }),
      );
      await sql`
        insert into catalogue.search_entries
          (code, version, name, name_folded, document, popularity, sector_codes, agency_codes, province_code, levels, audiences, online_level, facet_key, base_code)
        select code, 1, name, a,
               setweight(to_tsvector('simple', a), 'A') || setweight(to_tsvector('simple', b), 'B')
               || setweight(to_tsvector('simple', c), 'C') || setweight(to_tsvector('simple', d), 'D'),
               pop, string_to_array(sectors, ','), string_to_array(agencies, ','), province, string_to_array(levels, ','),
               string_to_array(audiences, ','), online, fk, base
          from unnest(${docs.map((d) => d.code)}::text[], ${docs.map((d) => d.name)}::text[], ${docs.map((d) => d.a)}::text[],
                      ${docs.map((d) => d.b)}::text[], ${docs.map((d) => d.c)}::text[], ${docs.map((d) => d.d)}::text[],
                      ${docs.map((d) => d.popularity)}::int[], ${docs.map((d) => d.sectorCodes.join(','))}::text[],
                      ${docs.map((d) => d.agencyCodes.join(','))}::text[], ${docs.map((d) => d.provinceCode)}::text[],
                      ${docs.map((d) => d.levels.join(','))}::text[], ${docs.map((d) => d.audiences.join(','))}::text[],
                      ${docs.map((d) => d.onlineLevel)}::text[], ${docs.map((d) => facetKey(d))}::text[], ${docs.map((d) => baseCodeOf(d.code))}::text[])
               as t(code, name, a, b, c, d, pop, sectors, agencies, province, levels, audiences, online, fk, base)
        on conflict (code) do nothing`.execute(trx);
    });
    done += rows.length;
    onProgress?.(done);
  };
  for (const p of generateCatalogue(count)) {
    batch.push(p);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await refreshAllFamilies(db);
  await rebuildVocabulary(db);
  return done;
}
