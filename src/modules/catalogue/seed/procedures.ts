/**
 * The seed catalogue: procedures citizens and businesses use most, written from the regulations that
 * govern them. Every figure says where it comes from in `sourceNote`; what could not be checked is
 * marked "chưa đối chiếu" (not verified) there and in a comment here.
 *
 * Codes: 2.000815 (named by the portal's 2020 story), 1.004222, 1.004194, 2.001159, 1.003677,
 * 1.001247, 1.000757, 1.001445, 2.000539 and 1.010384 were read on the national portal's procedure
 * pages. The other codes are the ones customarily cited for the procedure but were NOT checked against
 * the national database; they are flagged in `sourceNote` and an operator's LayThuTuc import replaces
 * them. Popularity figures are rough estimates of yearly dossiers, used only to rank search results.
 */
import { CERTIFIED_COPY_FORMULA } from '../domain/fees.ts';
import {
  choice,
  content,
  date,
  doc,
  FREE,
  fixed,
  inPerson,
  lePhi,
  num,
  online,
  phi,
  postal,
  type SeedProcedure,
  text,
  time,
} from './builders.ts';

const UNVERIFIED_CODE = 'Mã thủ tục chưa đối chiếu với Cơ sở dữ liệu quốc gia về TTHC.';
const COMMUNE = { name: 'Ủy ban nhân dân cấp xã' };
const COMMUNE_POLICE = { name: 'Công an cấp xã' };
const HOTICH_BASIS: Array<[string, string]> = [
  ['60/2014/QH13', 'Luật Hộ tịch'],
  ['123/2015/NĐ-CP', 'Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch'],
  ['04/2020/TT-BTP', 'Thông tư quy định chi tiết thi hành Luật Hộ tịch và Nghị định 123/2015/NĐ-CP'],
];
const CUTRU_BASIS: Array<[string, string]> = [
  ['68/2020/QH14', 'Luật Cư trú'],
  ['154/2024/NĐ-CP', 'Nghị định quy định chi tiết một số điều của Luật Cư trú'],
  ['66/2023/TT-BCA', 'Thông tư quy định về biểu mẫu trong đăng ký, quản lý cư trú'],
  ['75/2022/TT-BTC', 'Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng lệ phí đăng ký cư trú'],
];
const AFTER_15H = 'Nhận hồ sơ sau 15 giờ thì giải quyết trong ngày làm việc tiếp theo.';

export const SEED_PROCEDURES: readonly SeedProcedure[] = [
  // ——— Chứng thực (Ministry of Justice) ———
  {
    code: '2.000815',
    owner: 'BTP',
    popularity: 9_500_000,
    content: content({
      name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc chứng nhận',
      nameEn: 'Certified copy from the original of a document issued or certified by a Vietnamese authority',
      summary:
        'Cấp bản sao có chứng thực từ bản chính giấy tờ, văn bản; bản sao điện tử có chứng thực được thu phí như bản giấy.',
      sectorCodes: ['TP-CHUNGTHUC'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE, { name: 'Tổ chức hành nghề công chứng' }],
      audiences: ['citizen', 'business', 'organisation'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(
          time(
            1,
            'working-day',
            [lePhi('Lệ phí chứng thực bản sao từ bản chính', CERTIFIED_COPY_FORMULA)],
            AFTER_15H,
          ),
        ),
        online(
          time(
            1,
            'working-day',
            [lePhi('Lệ phí chứng thực bản sao điện tử từ bản chính', CERTIFIED_COPY_FORMULA)],
            AFTER_15H,
          ),
        ),
      ],
      cases: [
        {
          name: 'Chứng thực bản sao từ bản chính',
          documents: [
            doc('BANCHINH', 'Bản chính giấy tờ, văn bản cần chứng thực bản sao', {
              note: 'Kèm bản sao cần chứng thực, hoặc đề nghị cơ quan chụp từ bản chính',
            }),
          ],
        },
      ],
      fields: [
        num('soTrang', 'Số trang của bản chính', 'Pages of the original', 1, 5000),
        num('soBan', 'Số bản sao cần chứng thực', 'Copies', 1, 50),
      ],
      results: [{ name: 'Bản sao có chứng thực (bản giấy hoặc bản điện tử)' }],
      legalBasis: [
        [
          '23/2015/NĐ-CP',
          'Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch',
        ],
        ['226/2016/TT-BTC', 'Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực'],
      ],
      steps: [
        'Người yêu cầu xuất trình bản chính và bản sao cần chứng thực (hoặc đề nghị chụp từ bản chính).',
        'Người thực hiện chứng thực kiểm tra bản chính, đối chiếu với bản sao, ghi lời chứng, ký và đóng dấu.',
        'Người yêu cầu nộp lệ phí và nhận bản sao có chứng thực.',
      ],
      conditions: [
        'Bản chính không thuộc các trường hợp không được chứng thực bản sao (Điều 22 Nghị định 23/2015/NĐ-CP): bị tẩy xóa, sửa chữa, hư hỏng, cũ nát, không xác định được nội dung…',
      ],
      payment: 'before',
      after15hRule: true,
      keywords: ['sao y bản chính', 'công chứng bản sao', 'chứng thực điện tử', 'sao y'],
      sourceNote:
        'Lệ phí theo Thông tư 226/2016/TT-BTC: 2.000 đồng/trang cho trang 1–2, 1.000 đồng/trang từ trang 3, tối đa 200.000 đồng/bản (đã đối chiếu).',
    }),
  },
  {
    code: '2.000884',
    owner: 'BTP',
    popularity: 1_200_000,
    content: content({
      name: 'Chứng thực chữ ký trong các giấy tờ, văn bản',
      nameEn: 'Certification of a signature on a document',
      sectorCodes: ['TP-CHUNGTHUC'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE, { name: 'Tổ chức hành nghề công chứng' }],
      audiences: ['citizen'],
      onlineLevel: 'none',
      channels: [
        inPerson(
          time(
            1,
            'working-day',
            [lePhi('Lệ phí chứng thực chữ ký', { type: 'per-unit', amount: 10_000, unit: 'trường hợp' })],
            AFTER_15H,
          ),
        ),
      ],
      cases: [
        {
          name: 'Chứng thực chữ ký',
          documents: [
            doc('GIAYTOTUYTHAN', 'Bản chính hoặc bản sao có chứng thực giấy tờ tùy thân còn giá trị sử dụng'),
            doc('VANBAN', 'Giấy tờ, văn bản mà mình sẽ ký'),
          ],
        },
      ],
      fields: [num('soTruongHop', 'Số trường hợp chứng thực', 'Number of signatures', 1, 50)],
      results: [{ name: 'Giấy tờ, văn bản đã được chứng thực chữ ký' }],
      legalBasis: [
        ['23/2015/NĐ-CP', 'Nghị định về chứng thực'],
        ['226/2016/TT-BTC', 'Thông tư quy định phí chứng thực'],
      ],
      steps: [
        'Người yêu cầu ký trước mặt người thực hiện chứng thực.',
        'Người thực hiện chứng thực ghi lời chứng, ký, đóng dấu.',
      ],
      payment: 'before',
      after15hRule: true,
      keywords: ['xác nhận chữ ký'],
      sourceNote: `Lệ phí 10.000 đồng/trường hợp theo Thông tư 226/2016/TT-BTC (đã đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  // ——— Hộ tịch ———
  {
    code: '1.001193',
    owner: 'BTP',
    popularity: 1_500_000,
    content: content({
      name: 'Đăng ký khai sinh',
      nameEn: 'Birth registration',
      summary:
        'Đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam; cấp Giấy khai sinh và số định danh cá nhân.',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(
          time(
            1,
            'working-day',
            [
              lePhi(
                'Lệ phí đăng ký khai sinh đúng hạn',
                FREE,
                'Miễn lệ phí khi đăng ký khai sinh đúng hạn (Điều 11 Luật Hộ tịch)',
              ),
            ],
            AFTER_15H,
          ),
        ),
        online(time(1, 'working-day', [lePhi('Lệ phí đăng ký khai sinh đúng hạn', FREE)], AFTER_15H)),
      ],
      cases: [
        {
          name: 'Trẻ em có giấy chứng sinh',
          documents: [
            doc('TK-KS', 'Tờ khai đăng ký khai sinh', {
              template: 'Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)',
            }),
            doc('GCS', 'Giấy chứng sinh do cơ sở y tế cấp'),
          ],
        },
        {
          name: 'Trẻ em bị bỏ rơi hoặc không có giấy chứng sinh',
          documents: [
            doc('TK-KS', 'Tờ khai đăng ký khai sinh', {
              template: 'Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)',
            }),
            doc(
              'XACNHAN-SINH',
              'Văn bản của người làm chứng xác nhận việc sinh hoặc giấy cam đoan về việc sinh',
              { required: false },
            ),
            doc('BB-BORO', 'Biên bản xác nhận việc trẻ bị bỏ rơi', { required: false }),
          ],
        },
      ],
      fields: [
        text('hoTenTre', 'Họ, chữ đệm và tên của trẻ', "Child's full name"),
        date('ngaySinhTre', 'Ngày, tháng, năm sinh của trẻ', "Child's date of birth"),
        choice('gioiTinhTre', 'Giới tính của trẻ', "Child's sex", [
          ['nam', 'Nam', 'Male'],
          ['nu', 'Nữ', 'Female'],
        ]),
        text('noiSinh', 'Nơi sinh', 'Place of birth'),
        {
          type: 'group',
          key: 'chaMe',
          label: { vi: 'Thông tin cha, mẹ', en: 'Parents' },
          required: true,
          repeatable: true,
          min: 1,
          max: 2,
          fields: [
            choice('quanHe', 'Quan hệ với trẻ', 'Relationship', [
              ['me', 'Mẹ', 'Mother'],
              ['cha', 'Cha', 'Father'],
            ]),
            text('hoTen', 'Họ, chữ đệm và tên', 'Full name'),
            {
              type: 'id-number',
              key: 'soDinhDanh',
              label: { vi: 'Số định danh cá nhân', en: 'Personal identification number' },
              required: false,
            },
          ],
        },
      ],
      results: [
        { name: 'Giấy khai sinh (bản chính và bản điện tử)' },
        { name: 'Số định danh cá nhân của trẻ' },
      ],
      legalBasis: HOTICH_BASIS,
      steps: [
        'Người đi đăng ký nộp tờ khai và giấy chứng sinh (hoặc giấy tờ thay thế) tại Ủy ban nhân dân cấp xã hoặc trên Cổng Dịch vụ công.',
        'Công chức tư pháp - hộ tịch kiểm tra, ghi vào Sổ đăng ký khai sinh và cập nhật Cơ sở dữ liệu hộ tịch điện tử; trẻ được cấp số định danh cá nhân.',
        'Người đi đăng ký nhận Giấy khai sinh.',
      ],
      conditions: [
        'Cha, mẹ có trách nhiệm đăng ký khai sinh cho con trong thời hạn 60 ngày kể từ ngày sinh.',
      ],
      payment: 'none',
      after15hRule: true,
      keywords: ['làm giấy khai sinh', 'khai sinh cho con', 'giấy khai sinh'],
      sourceNote: `Miễn lệ phí đăng ký khai sinh đúng hạn theo Luật Hộ tịch (đã đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.000656',
    owner: 'BTP',
    popularity: 550_000,
    content: content({
      name: 'Đăng ký khai tử',
      nameEn: 'Death registration',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(time(1, 'working-day', [lePhi('Lệ phí đăng ký khai tử đúng hạn', FREE)], AFTER_15H)),
        online(time(1, 'working-day', [lePhi('Lệ phí đăng ký khai tử đúng hạn', FREE)], AFTER_15H)),
      ],
      cases: [
        {
          name: 'Đăng ký khai tử',
          documents: [
            doc('TK-KT', 'Tờ khai đăng ký khai tử', { template: 'Mẫu tờ khai đăng ký khai tử' }),
            doc('GBT', 'Giấy báo tử hoặc giấy tờ thay thế giấy báo tử'),
          ],
        },
      ],
      fields: [
        text('hoTenNguoiChet', 'Họ, chữ đệm và tên người đã chết', 'Name of the deceased'),
        date('ngayChet', 'Ngày chết', 'Date of death'),
      ],
      results: [{ name: 'Trích lục khai tử' }],
      legalBasis: HOTICH_BASIS,
      steps: [
        'Nộp tờ khai và giấy báo tử.',
        'Công chức tư pháp - hộ tịch ghi Sổ đăng ký khai tử, cấp trích lục khai tử.',
      ],
      conditions: [
        'Người thân có trách nhiệm đăng ký khai tử trong thời hạn 15 ngày kể từ ngày có người chết.',
      ],
      payment: 'none',
      after15hRule: true,
      keywords: ['giấy chứng tử', 'báo tử'],
      sourceNote: `Miễn lệ phí khai tử đúng hạn theo Luật Hộ tịch. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.000894',
    owner: 'BTP',
    popularity: 700_000,
    content: content({
      name: 'Đăng ký kết hôn',
      nameEn: 'Marriage registration',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'partial',
      channels: [
        inPerson(
          time(
            1,
            'working-day',
            [
              lePhi(
                'Lệ phí đăng ký kết hôn',
                FREE,
                'Mức thu do Hội đồng nhân dân cấp tỉnh quyết định; nhiều tỉnh miễn (chưa đối chiếu từng tỉnh)',
              ),
            ],
            'Trường hợp cần xác minh thì không quá 05 ngày làm việc.',
          ),
        ),
        online(
          time(
            1,
            'working-day',
            [lePhi('Lệ phí đăng ký kết hôn', FREE)],
            'Hai bên phải có mặt khi nhận Giấy chứng nhận kết hôn.',
          ),
        ),
      ],
      cases: [
        {
          name: 'Kết hôn giữa công dân Việt Nam cư trú trong nước',
          documents: [
            doc('TK-KH', 'Tờ khai đăng ký kết hôn', { template: 'Mẫu tờ khai đăng ký kết hôn' }),
            doc(
              'XNTTHN',
              'Giấy xác nhận tình trạng hôn nhân (khi đăng ký tại nơi không phải nơi thường trú)',
              { required: false },
            ),
          ],
        },
      ],
      fields: [
        text('hoTenBenKia', 'Họ, chữ đệm và tên của bên kia', "Partner's full name"),
        {
          type: 'id-number',
          key: 'soDinhDanhBenKia',
          label: { vi: 'Số định danh cá nhân của bên kia', en: "Partner's personal identification number" },
          required: true,
        },
      ],
      results: [{ name: 'Giấy chứng nhận kết hôn' }],
      legalBasis: [...HOTICH_BASIS, ['52/2014/QH13', 'Luật Hôn nhân và gia đình']],
      steps: [
        'Hai bên nộp tờ khai.',
        'Công chức tư pháp - hộ tịch kiểm tra điều kiện kết hôn.',
        'Hai bên cùng có mặt, ký vào Sổ đăng ký kết hôn và nhận Giấy chứng nhận kết hôn.',
      ],
      conditions: ['Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; tự nguyện; không thuộc trường hợp cấm kết hôn.'],
      payment: 'none',
      after15hRule: true,
      keywords: ['giấy đăng ký kết hôn', 'đăng ký cưới'],
      sourceNote: `Lệ phí do Hội đồng nhân dân cấp tỉnh quyết định: ghi "miễn" theo đa số tỉnh, chưa đối chiếu từng tỉnh. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.004873',
    owner: 'BTP',
    popularity: 900_000,
    content: content({
      name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
      nameEn: 'Certificate of marital status',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(3, 'working-day', [
            lePhi(
              'Lệ phí cấp Giấy xác nhận tình trạng hôn nhân',
              fixed(0),
              'Mức thu do Hội đồng nhân dân cấp tỉnh quyết định (chưa đối chiếu)',
            ),
          ]),
        ),
        online(time(3, 'working-day', [lePhi('Lệ phí cấp Giấy xác nhận tình trạng hôn nhân', fixed(0))])),
      ],
      cases: [
        {
          name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
          documents: [
            doc('TK-XNTTHN', 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân', {
              template: 'Mẫu tờ khai xác nhận tình trạng hôn nhân',
            }),
          ],
        },
      ],
      fields: [
        choice('mucDich', 'Mục đích sử dụng', 'Purpose', [
          ['ket-hon', 'Để đăng ký kết hôn', 'To marry'],
          ['khac', 'Mục đích khác', 'Other purpose'],
        ]),
      ],
      results: [{ name: 'Giấy xác nhận tình trạng hôn nhân' }],
      legalBasis: HOTICH_BASIS,
      steps: [
        'Nộp tờ khai.',
        'Công chức tư pháp - hộ tịch kiểm tra, xác minh nếu cần.',
        'Nhận Giấy xác nhận tình trạng hôn nhân.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['xác nhận độc thân', 'giấy xác nhận độc thân'],
      sourceNote: `Thời hạn 03 ngày làm việc theo Nghị định 123/2015/NĐ-CP; lệ phí do HĐND tỉnh quyết định (chưa đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '2.000635',
    owner: 'BTP',
    popularity: 800_000,
    content: content({
      name: 'Cấp bản sao Trích lục hộ tịch',
      nameEn: 'Copy of a civil-status extract',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune', 'province'],
      implementingAgencies: [COMMUNE, { name: 'Sở Tư pháp' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(
            1,
            'working-day',
            [phi('Phí cấp bản sao trích lục hộ tịch', { type: 'per-unit', amount: 8_000, unit: 'bản' })],
            AFTER_15H,
          ),
        ),
        online(
          time(
            1,
            'working-day',
            [phi('Phí cấp bản sao trích lục hộ tịch', { type: 'per-unit', amount: 8_000, unit: 'bản' })],
            AFTER_15H,
          ),
        ),
      ],
      cases: [
        {
          name: 'Cấp bản sao trích lục hộ tịch',
          documents: [
            doc('TK-TLHT', 'Tờ khai cấp bản sao trích lục hộ tịch', {
              template: 'Mẫu tờ khai cấp bản sao trích lục hộ tịch',
            }),
          ],
        },
      ],
      fields: [
        choice('loaiTrichLuc', 'Loại trích lục', 'Kind of extract', [
          ['khai-sinh', 'Khai sinh', 'Birth'],
          ['ket-hon', 'Kết hôn', 'Marriage'],
          ['khai-tu', 'Khai tử', 'Death'],
        ]),
        num('soBan', 'Số bản', 'Copies', 1, 20),
      ],
      results: [{ name: 'Bản sao trích lục hộ tịch' }],
      legalBasis: [
        ...HOTICH_BASIS,
        ['281/2016/TT-BTC', 'Thông tư quy định phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch'],
      ],
      steps: [
        'Nộp tờ khai.',
        'Cơ quan đăng ký hộ tịch tra cứu Sổ hộ tịch hoặc Cơ sở dữ liệu hộ tịch điện tử và cấp bản sao.',
      ],
      payment: 'before',
      after15hRule: true,
      keywords: ['bản sao giấy khai sinh', 'trích lục khai sinh', 'xin lại giấy khai sinh'],
      sourceNote: `Phí 8.000 đồng/bản theo Thông tư 281/2016/TT-BTC (chưa đối chiếu lại văn bản sửa đổi). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.004859',
    owner: 'BTP',
    popularity: 250_000,
    content: content({
      name: 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch',
      nameEn: 'Change, correction or addition of civil-status information',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(3, 'working-day', [
            lePhi(
              'Lệ phí thay đổi, cải chính hộ tịch',
              fixed(0),
              'Mức thu do Hội đồng nhân dân cấp tỉnh quyết định (chưa đối chiếu)',
            ),
          ]),
        ),
        online(time(3, 'working-day', [lePhi('Lệ phí thay đổi, cải chính hộ tịch', fixed(0))])),
      ],
      cases: [
        {
          name: 'Thay đổi, cải chính, bổ sung thông tin hộ tịch',
          documents: [
            doc('TK-CC', 'Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', {
              template: 'Mẫu tờ khai',
            }),
            doc('CANCU-CC', 'Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung'),
          ],
        },
      ],
      fields: [text('noiDung', 'Nội dung đề nghị thay đổi, cải chính', 'What to change', true, 2000)],
      results: [{ name: 'Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch' }],
      legalBasis: HOTICH_BASIS,
      steps: [
        'Nộp tờ khai và giấy tờ làm căn cứ.',
        'Công chức tư pháp - hộ tịch kiểm tra, trình Chủ tịch Ủy ban nhân dân cấp xã.',
        'Nhận trích lục.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['đổi tên', 'sửa giấy khai sinh', 'cải chính hộ tịch'],
      sourceNote: `Lệ phí do HĐND tỉnh quyết định (chưa đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '2.000505',
    owner: 'BTP',
    popularity: 1_300_000,
    content: content({
      name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
      nameEn: 'Judicial record certificate',
      sectorCodes: ['TP-LLTP'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Sở Tư pháp' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(
          time(10, 'working-day', [
            phi(
              'Phí cung cấp thông tin lý lịch tư pháp',
              fixed(200_000),
              'Sinh viên, người có công với cách mạng… 100.000 đồng; trẻ em, người cao tuổi, người khuyết tật… được miễn',
            ),
          ]),
        ),
        online(time(10, 'working-day', [phi('Phí cung cấp thông tin lý lịch tư pháp', fixed(200_000))])),
        postal(time(10, 'working-day', [phi('Phí cung cấp thông tin lý lịch tư pháp', fixed(200_000))])),
      ],
      cases: [
        {
          name: 'Người yêu cầu tự nộp',
          documents: [
            doc('TK-LLTP', 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', {
              template: 'Mẫu số 03/2013/TT-LLTP',
            }),
          ],
        },
        {
          name: 'Ủy quyền cho người khác làm thủ tục',
          documents: [
            doc('TK-LLTP', 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', {
              template: 'Mẫu số 03/2013/TT-LLTP',
            }),
            doc('UQ', 'Văn bản ủy quyền có chứng thực'),
          ],
        },
      ],
      fields: [
        choice('loaiPhieu', 'Loại Phiếu', 'Kind of certificate', [
          ['1', 'Phiếu lý lịch tư pháp số 1', 'Certificate no. 1'],
          ['2', 'Phiếu lý lịch tư pháp số 2', 'Certificate no. 2'],
        ]),
        num('soBan', 'Số bản Phiếu', 'Copies', 1, 10),
      ],
      results: [{ name: 'Phiếu lý lịch tư pháp (bản giấy hoặc bản điện tử)' }],
      legalBasis: [
        ['28/2009/QH12', 'Luật Lý lịch tư pháp'],
        ['244/2016/TT-BTC', 'Thông tư quy định phí cung cấp thông tin lý lịch tư pháp'],
      ],
      steps: [
        'Nộp tờ khai tại Sở Tư pháp, qua bưu chính hoặc trực tuyến (có thể qua ứng dụng VNeID).',
        'Sở Tư pháp tra cứu, xác minh lý lịch tư pháp.',
        'Nhận Phiếu lý lịch tư pháp.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['lý lịch tư pháp', 'lltp', 'xác nhận không tiền án'],
      sourceNote: `Phí 200.000 đồng/lần theo Thông tư 244/2016/TT-BTC (đã đối chiếu mức chung; các mức giảm, miễn tóm tắt). ${UNVERIFIED_CODE}`,
    }),
  },
  // ——— Cư trú (Ministry of Public Security) ———
  {
    code: '1.004222',
    owner: 'BCA',
    popularity: 2_000_000,
    content: content({
      name: 'Đăng ký thường trú',
      nameEn: 'Permanent residence registration',
      sectorCodes: ['CA-CUTRU'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE_POLICE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(
          time(7, 'working-day', [
            lePhi(
              'Lệ phí đăng ký thường trú',
              fixed(20_000),
              'Mức thu tại các quận nội thành; nơi khác có thể thấp hơn',
            ),
          ]),
        ),
        online(time(7, 'working-day', [lePhi('Lệ phí đăng ký thường trú (trực tuyến)', fixed(10_000))])),
      ],
      cases: [
        {
          name: 'Đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu của mình',
          documents: [
            doc('CT01', 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)', {
              template: 'Mẫu CT01 (Thông tư 66/2023/TT-BCA)',
            }),
            doc('CHOOHOPPHAP', 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp'),
          ],
        },
        {
          name: 'Đăng ký thường trú về ở với người thân (vợ, chồng, con, cha, mẹ…)',
          documents: [
            doc('CT01', 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)', {
              template: 'Mẫu CT01 (Thông tư 66/2023/TT-BCA)',
            }),
            doc(
              'QUANHE',
              'Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình',
              {
                required: false,
                note: 'Không phải nộp nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư',
              },
            ),
          ],
        },
      ],
      fields: [
        {
          type: 'address',
          key: 'noiDangKy',
          label: { vi: 'Nơi đề nghị đăng ký thường trú', en: 'Address to register' },
          required: true,
          level: 'commune',
        },
        text('diaChiChiTiet', 'Số nhà, đường, thôn, tổ dân phố', 'Street address'),
      ],
      results: [
        { name: 'Thông báo kết quả đăng ký thường trú; thông tin được cập nhật vào Cơ sở dữ liệu về cư trú' },
      ],
      legalBasis: CUTRU_BASIS,
      steps: [
        'Nộp hồ sơ tại Công an cấp xã hoặc trực tuyến (Cổng Dịch vụ công, ứng dụng VNeID).',
        'Công an cấp xã kiểm tra, cập nhật thông tin về nơi thường trú vào Cơ sở dữ liệu về cư trú.',
        'Nhận thông báo kết quả.',
      ],
      conditions: [
        'Có chỗ ở hợp pháp; với nhà thuê, mượn, ở nhờ tại thành phố trực thuộc trung ương phải bảo đảm diện tích nhà ở tối thiểu theo quy định của Hội đồng nhân dân cấp tỉnh.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['nhập hộ khẩu', 'đăng ký hộ khẩu', 'chuyển hộ khẩu'],
      sourceNote:
        'Mã thủ tục 1.004222 đã đối chiếu trên Cổng Dịch vụ công quốc gia. Thời hạn 07 ngày làm việc theo Luật Cư trú. Lệ phí 20.000/10.000 đồng theo Thông tư 75/2022/TT-BTC (mức tại quận, thành phố thuộc tỉnh; chưa đối chiếu sau sắp xếp năm 2025).',
    }),
  },
  {
    code: '1.004194',
    owner: 'BCA',
    popularity: 3_000_000,
    content: content({
      name: 'Đăng ký tạm trú',
      nameEn: 'Temporary residence registration',
      sectorCodes: ['CA-CUTRU'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE_POLICE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(time(3, 'working-day', [lePhi('Lệ phí đăng ký tạm trú', fixed(15_000))])),
        online(time(3, 'working-day', [lePhi('Lệ phí đăng ký tạm trú (trực tuyến)', fixed(7_000))])),
      ],
      cases: [
        {
          name: 'Đăng ký tạm trú cá nhân',
          documents: [
            doc('CT01', 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)', {
              template: 'Mẫu CT01 (Thông tư 66/2023/TT-BCA)',
            }),
            doc('CHOOHOPPHAP', 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà…)'),
          ],
        },
      ],
      fields: [
        {
          type: 'address',
          key: 'noiTamTru',
          label: { vi: 'Nơi tạm trú', en: 'Temporary address' },
          required: true,
          level: 'commune',
        },
        text('diaChiChiTiet', 'Số nhà, đường, thôn, tổ dân phố', 'Street address'),
        num('thoiHanThang', 'Thời hạn tạm trú (tháng)', 'Months', 1, 24),
      ],
      results: [{ name: 'Thông báo kết quả đăng ký tạm trú' }],
      legalBasis: CUTRU_BASIS,
      steps: [
        'Nộp hồ sơ tại Công an cấp xã nơi dự kiến tạm trú hoặc trực tuyến.',
        'Công an cấp xã kiểm tra, cập nhật Cơ sở dữ liệu về cư trú.',
      ],
      conditions: [
        'Đến sinh sống tại chỗ ở hợp pháp ngoài phạm vi đơn vị hành chính cấp xã nơi đã đăng ký thường trú để lao động, học tập hoặc vì mục đích khác từ 30 ngày trở lên.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['khai báo tạm trú', 'đăng ký tạm trú nhà trọ', 'sổ tạm trú', 'KT3'],
      sourceNote:
        'Mã 1.004194 đã đối chiếu trên Cổng Dịch vụ công quốc gia. Lệ phí 15.000/7.000 đồng theo Thông tư 75/2022/TT-BTC (chưa đối chiếu sau năm 2025).',
    }),
  },
  {
    code: '2.001159',
    owner: 'BCA',
    popularity: 5_000_000,
    content: content({
      name: 'Thông báo lưu trú',
      nameEn: 'Notification of a stay',
      sectorCodes: ['CA-CUTRU'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE_POLICE],
      audiences: ['citizen', 'business', 'organisation'],
      onlineLevel: 'full',
      channels: [
        inPerson(time(1, 'hour', [lePhi('Không thu lệ phí', FREE)], 'Tiếp nhận ngay khi thông báo.')),
        online(time(1, 'hour', [lePhi('Không thu lệ phí', FREE)], 'Tiếp nhận ngay khi thông báo.')),
      ],
      cases: [
        {
          name: 'Thông báo lưu trú',
          documents: [doc('TBLT', 'Nội dung thông báo lưu trú (họ tên, số định danh, thời gian lưu trú)')],
        },
      ],
      fields: [date('tuNgay', 'Lưu trú từ ngày', 'From'), date('denNgay', 'Đến ngày', 'To')],
      results: [{ name: 'Thông tin lưu trú được ghi nhận' }],
      legalBasis: CUTRU_BASIS,
      steps: ['Chủ hộ, cơ sở lưu trú thông báo với cơ quan đăng ký cư trú.', 'Công an tiếp nhận thông báo.'],
      conditions: [
        'Thông báo trước 23 giờ của ngày bắt đầu lưu trú; người đến sau 23 giờ thì thông báo trước 08 giờ ngày hôm sau.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['khai báo lưu trú', 'báo khách ở qua đêm'],
      sourceNote: 'Mã 2.001159 và thời điểm thông báo đã đối chiếu trên Cổng Dịch vụ công quốc gia.',
    }),
  },
  {
    code: '1.003677',
    owner: 'BCA',
    popularity: 400_000,
    content: content({
      name: 'Khai báo tạm vắng',
      nameEn: 'Declaration of temporary absence',
      sectorCodes: ['CA-CUTRU'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE_POLICE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(
            1,
            'day',
            [lePhi('Không thu lệ phí', FREE)],
            'Trường hợp phức tạp không quá 02 ngày làm việc.',
          ),
        ),
        online(time(1, 'day', [lePhi('Không thu lệ phí', FREE)])),
      ],
      cases: [
        {
          name: 'Khai báo tạm vắng',
          documents: [doc('DN-TV', 'Đề nghị khai báo tạm vắng (lý do, thời gian, địa chỉ nơi đến)')],
        },
      ],
      fields: [
        text('lyDo', 'Lý do tạm vắng', 'Reason', true, 500),
        date('tuNgay', 'Tạm vắng từ ngày', 'From'),
        date('denNgay', 'Đến ngày', 'To'),
        {
          type: 'address',
          key: 'noiDen',
          label: { vi: 'Địa chỉ nơi đến', en: 'Destination' },
          required: true,
          level: 'province',
        },
      ],
      results: [{ name: 'Thông tin tạm vắng được cập nhật vào Cơ sở dữ liệu về cư trú' }],
      legalBasis: CUTRU_BASIS,
      steps: [
        'Nộp đề nghị tại Công an cấp xã hoặc trực tuyến.',
        'Công an cấp xã cập nhật thông tin tạm vắng.',
      ],
      payment: 'none',
      after15hRule: false,
      sourceNote: 'Mã 1.003677 và thời hạn đã đối chiếu trên Cổng Dịch vụ công quốc gia.',
    }),
  },
  // ——— Căn cước, hộ chiếu ———
  {
    code: '1.001247',
    owner: 'BCA',
    popularity: 4_000_000,
    content: content({
      name: 'Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên',
      nameEn: 'Identity card for a person aged 14 or over',
      sectorCodes: ['CA-CANCUOC'],
      levels: ['central', 'province', 'commune'],
      implementingAgencies: [
        { name: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an' },
        { name: 'Công an cấp tỉnh' },
        COMMUNE_POLICE,
      ],
      audiences: ['citizen'],
      onlineLevel: 'partial',
      channels: [
        inPerson(
          time(
            7,
            'working-day',
            [lePhi('Lệ phí cấp thẻ căn cước lần đầu', FREE)],
            'Người đề nghị phải đến thu nhận vân tay, ảnh khuôn mặt, mống mắt.',
          ),
        ),
        online(
          time(
            7,
            'working-day',
            [lePhi('Lệ phí cấp thẻ căn cước lần đầu', FREE)],
            'Đăng ký trực tuyến, sau đó đến cơ quan quản lý căn cước theo lịch hẹn để thu nhận sinh trắc học.',
          ),
        ),
      ],
      cases: [
        {
          name: 'Cấp thẻ căn cước lần đầu',
          documents: [
            doc('CC01', 'Phiếu thu nhận thông tin căn cước (mẫu CC01)', {
              template: 'Mẫu CC01 (Thông tư 17/2024/TT-BCA)',
            }),
          ],
        },
      ],
      results: [{ name: 'Thẻ căn cước' }],
      legalBasis: [
        ['26/2023/QH15', 'Luật Căn cước'],
        ['17/2024/TT-BCA', 'Thông tư quy định biểu mẫu về căn cước'],
        ['73/2024/TT-BTC', 'Thông tư quy định lệ phí cấp thẻ căn cước'],
      ],
      steps: [
        'Đến cơ quan quản lý căn cước, cung cấp họ tên, số định danh cá nhân, nơi cư trú.',
        'Thu nhận vân tay, ảnh khuôn mặt, mống mắt; ký Phiếu thu nhận thông tin căn cước.',
        'Nhận thẻ trực tiếp hoặc qua bưu chính.',
      ],
      conditions: ['Thông tin của công dân đầy đủ, chính xác trong Cơ sở dữ liệu quốc gia về dân cư.'],
      payment: 'none',
      after15hRule: false,
      keywords: ['làm căn cước', 'cccd', 'căn cước công dân', 'chứng minh nhân dân'],
      sourceNote:
        'Mã 1.001247 đã đối chiếu (thủ tục thực hiện tại cấp trung ương; địa phương có mã riêng). Thời hạn 07 ngày làm việc theo Luật Căn cước (chưa đối chiếu cho từng địa bàn).',
    }),
  },
  {
    code: '1.000757',
    owner: 'BCA',
    popularity: 1_500_000,
    content: content({
      name: 'Cấp lại thẻ căn cước',
      nameEn: 'Replacement of an identity card',
      sectorCodes: ['CA-CANCUOC'],
      levels: ['central', 'province', 'commune'],
      implementingAgencies: [
        { name: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an' },
        { name: 'Công an cấp tỉnh' },
        COMMUNE_POLICE,
      ],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(time(7, 'working-day', [lePhi('Lệ phí cấp lại thẻ căn cước', fixed(50_000))])),
        online(
          time(7, 'working-day', [
            lePhi(
              'Lệ phí cấp lại thẻ căn cước (trực tuyến)',
              fixed(25_000),
              'Mức giảm khi nộp trực tuyến (chưa đối chiếu thời hạn áp dụng)',
            ),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Thẻ bị mất hoặc hư hỏng',
          documents: [
            doc('DC02', 'Phiếu đề nghị giải quyết thủ tục về căn cước (mẫu DC02)', {
              template: 'Mẫu DC02 (Thông tư 17/2024/TT-BCA)',
            }),
          ],
        },
        {
          name: 'Người dưới 14 tuổi (người đại diện làm thủ tục)',
          documents: [
            doc('DC02', 'Phiếu đề nghị giải quyết thủ tục về căn cước (mẫu DC02)', {
              template: 'Mẫu DC02 (Thông tư 17/2024/TT-BCA)',
            }),
            doc('DAIDIEN', 'Giấy tờ chứng minh là người đại diện hợp pháp của người dưới 14 tuổi'),
          ],
        },
      ],
      fields: [
        choice('lyDo', 'Lý do cấp lại', 'Reason', [
          ['mat', 'Bị mất thẻ', 'Lost'],
          ['hong', 'Thẻ bị hư hỏng', 'Damaged'],
          ['quoc-tich', 'Được trở lại quốc tịch Việt Nam', 'Nationality restored'],
        ]),
      ],
      results: [{ name: 'Thẻ căn cước' }],
      legalBasis: [
        ['26/2023/QH15', 'Luật Căn cước'],
        ['73/2024/TT-BTC', 'Thông tư quy định lệ phí cấp thẻ căn cước'],
      ],
      steps: [
        'Đề nghị trực tiếp hoặc qua Cổng Dịch vụ công, ứng dụng VNeID.',
        'Cơ quan quản lý căn cước dùng thông tin sinh trắc học đã thu nhận để cấp lại.',
        'Nhận thẻ.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['mất căn cước', 'làm lại căn cước', 'mất cccd'],
      sourceNote:
        'Mã 1.000757 đã đối chiếu. Lệ phí 50.000 đồng theo Thông tư 73/2024/TT-BTC; mức trực tuyến 25.000 đồng chưa đối chiếu.',
    }),
  },
  {
    code: '2.002162',
    owner: 'BCA',
    popularity: 1_800_000,
    content: content({
      name: 'Cấp hộ chiếu phổ thông ở trong nước',
      nameEn: 'Ordinary passport (applied for in Viet Nam)',
      sectorCodes: ['CA-XNC'],
      levels: ['province', 'central'],
      implementingAgencies: [
        { name: 'Phòng Quản lý xuất nhập cảnh, Công an cấp tỉnh' },
        { name: 'Cục Quản lý xuất nhập cảnh, Bộ Công an' },
      ],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(8, 'working-day', [lePhi('Lệ phí cấp hộ chiếu (có gắn chíp điện tử)', fixed(200_000))]),
        ),
        online(time(8, 'working-day', [lePhi('Lệ phí cấp hộ chiếu (có gắn chíp điện tử)', fixed(200_000))])),
      ],
      cases: [
        {
          name: 'Cấp lần đầu',
          documents: [
            doc('TK01', 'Tờ khai đề nghị cấp hộ chiếu phổ thông (mẫu TK01)', {
              template: 'Mẫu TK01 (Thông tư 31/2023/TT-BCA)',
            }),
            doc('ANH', '02 ảnh chân dung 4x6 cm (trường hợp nộp trực tiếp)', { required: false }),
          ],
        },
        {
          name: 'Người chưa đủ 14 tuổi',
          documents: [
            doc('TK01', 'Tờ khai đề nghị cấp hộ chiếu phổ thông (mẫu TK01)', {
              template: 'Mẫu TK01 (Thông tư 31/2023/TT-BCA)',
            }),
            doc('KHAISINH', 'Bản sao giấy khai sinh hoặc trích lục khai sinh', { originals: 0, copies: 1 }),
          ],
        },
      ],
      results: [{ name: 'Hộ chiếu phổ thông' }],
      legalBasis: [
        ['49/2019/QH14', 'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam'],
        ['31/2023/TT-BCA', 'Thông tư quy định biểu mẫu về xuất nhập cảnh'],
        ['25/2021/TT-BTC', 'Thông tư quy định phí, lệ phí trong lĩnh vực xuất cảnh, nhập cảnh'],
      ],
      steps: [
        'Khai tờ khai trực tuyến hoặc nộp tại cơ quan quản lý xuất nhập cảnh.',
        'Thu nhận ảnh, vân tay (nếu nộp trực tiếp).',
        'Nhận hộ chiếu trực tiếp hoặc qua bưu chính.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['làm hộ chiếu', 'passport', 'hộ chiếu'],
      sourceNote: `Lệ phí 200.000 đồng theo Thông tư 25/2021/TT-BTC; thời hạn 08 ngày làm việc theo Luật Xuất cảnh, nhập cảnh (đã đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.001445',
    owner: 'BCA',
    popularity: 60_000,
    content: content({
      name: 'Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp tỉnh)',
      nameEn: 'Reporting a lost ordinary passport (province)',
      sectorCodes: ['CA-XNC'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Phòng Quản lý xuất nhập cảnh, Công an cấp tỉnh' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(time(1, 'working-day', [lePhi('Không thu lệ phí', FREE)])),
        online(time(1, 'working-day', [lePhi('Không thu lệ phí', FREE)])),
        postal(time(1, 'working-day', [lePhi('Không thu lệ phí', FREE)])),
      ],
      cases: [
        {
          name: 'Trình báo mất hộ chiếu',
          documents: [
            doc('TK05', 'Đơn trình báo mất hộ chiếu phổ thông (mẫu TK05)', {
              template: 'Mẫu TK05 (Thông tư 31/2023/TT-BCA)',
            }),
          ],
        },
      ],
      fields: [
        text('soHoChieu', 'Số hộ chiếu bị mất', 'Passport number', false, 20),
        date('ngayMat', 'Ngày phát hiện mất', 'Date noticed'),
      ],
      results: [
        { name: 'Thông báo về việc giải quyết đơn trình báo mất hộ chiếu; hộ chiếu bị hủy giá trị sử dụng' },
      ],
      legalBasis: [
        ['49/2019/QH14', 'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam'],
        ['31/2023/TT-BCA', 'Thông tư quy định biểu mẫu về xuất nhập cảnh'],
      ],
      steps: [
        'Nộp đơn trình báo trong 02 ngày làm việc kể từ khi phát hiện mất.',
        'Công an cấp tỉnh thông báo cho người gửi đơn và Cục Quản lý xuất nhập cảnh trong 01 ngày làm việc.',
      ],
      conditions: [
        'Nộp đơn trong thời hạn 02 ngày làm việc kể từ ngày phát hiện hộ chiếu bị mất, trừ lý do bất khả kháng.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['mất hộ chiếu', 'báo mất passport'],
      sourceNote: 'Mã 1.001445, thời hạn và điều kiện đã đối chiếu trên Cổng Dịch vụ công quốc gia.',
    }),
  },
  {
    code: '1.010384',
    owner: 'BCA',
    popularity: 5_000,
    content: content({
      name: 'Khôi phục giá trị sử dụng hộ chiếu phổ thông (thực hiện tại cấp tỉnh)',
      nameEn: 'Restoring the validity of an ordinary passport (province)',
      sectorCodes: ['CA-XNC'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Phòng Quản lý xuất nhập cảnh, Công an cấp tỉnh' }],
      audiences: ['citizen'],
      onlineLevel: 'partial',
      channels: [
        inPerson(
          time(5, 'working-day', [lePhi('Lệ phí khôi phục giá trị sử dụng hộ chiếu', fixed(100_000))]),
        ),
        online(time(5, 'working-day', [lePhi('Lệ phí khôi phục giá trị sử dụng hộ chiếu', fixed(100_000))])),
      ],
      cases: [
        {
          name: 'Khôi phục giá trị sử dụng hộ chiếu',
          documents: [
            doc('TK04', 'Tờ khai đề nghị khôi phục giá trị sử dụng hộ chiếu phổ thông (mẫu TK04)', {
              template: 'Mẫu TK04',
            }),
            doc('HOCHIEU', 'Hộ chiếu phổ thông còn nguyên vẹn, có thị thực nước ngoài còn thời hạn'),
          ],
        },
      ],
      results: [{ name: 'Hộ chiếu được khôi phục giá trị sử dụng' }],
      legalBasis: [['49/2019/QH14', 'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam']],
      steps: ['Nộp hồ sơ tại Công an cấp tỉnh hoặc trực tuyến.', 'Nhận kết quả trong 05 ngày làm việc.'],
      conditions: [
        'Hộ chiếu đã bị hủy giá trị do bị mất ở trong nước, tìm lại được còn nguyên vẹn và có thị thực nước ngoài còn thời hạn.',
      ],
      payment: 'before',
      after15hRule: false,
      sourceNote:
        'Mã 1.010384, thời hạn, điều kiện đã đối chiếu; lệ phí 100.000 đồng theo Thông tư 25/2021/TT-BTC (chưa đối chiếu).',
    }),
  },
  // ——— Giao thông ———
  {
    code: '1.002809',
    owner: 'BCA',
    popularity: 2_500_000,
    content: content({
      name: 'Đổi giấy phép lái xe',
      nameEn: 'Exchange of a driving licence',
      summary:
        'Đổi giấy phép lái xe hết hạn, hư hỏng, hoặc do cơ quan khác cấp (kể cả giấy phép do ngành giao thông vận tải cấp trước ngày 01/3/2025).',
      sectorCodes: ['CA-GPLX'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Phòng Cảnh sát giao thông, Công an cấp tỉnh' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(time(5, 'working-day', [lePhi('Lệ phí cấp giấy phép lái xe', fixed(135_000))])),
        online(
          time(5, 'working-day', [
            lePhi(
              'Lệ phí cấp giấy phép lái xe (trực tuyến)',
              fixed(115_000),
              'Mức thu khi nộp trực tuyến (chưa đối chiếu thời hạn áp dụng)',
            ),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Đổi giấy phép lái xe do cơ quan có thẩm quyền của Việt Nam cấp',
          documents: [
            doc('DE-NGHI', 'Đơn đề nghị đổi giấy phép lái xe', {
              template: 'Mẫu đơn đề nghị đổi, cấp lại giấy phép lái xe',
            }),
            doc('GKSK', 'Giấy khám sức khỏe của người lái xe (trừ hạng A1, A, B1)', {
              required: false,
              note: 'Có thể dùng dữ liệu sức khỏe đã liên thông điện tử',
            }),
            doc('GPLX-CU', 'Giấy phép lái xe cũ (bản chính khi nhận kết quả)', { originals: 1 }),
          ],
        },
      ],
      fields: [
        text('soGPLX', 'Số giấy phép lái xe', 'Licence number', true, 20),
        choice('hang', 'Hạng giấy phép', 'Class', [
          ['A1', 'A1'],
          ['A', 'A'],
          ['B', 'B'],
          ['C1', 'C1'],
          ['C', 'C'],
          ['D', 'D'],
          ['BE', 'BE'],
          ['CE', 'CE'],
        ]),
        date('ngayHetHan', 'Ngày hết hạn', 'Expiry date', false),
      ],
      results: [{ name: 'Giấy phép lái xe (bản giấy và giấy phép lái xe điện tử trên VNeID)' }],
      legalBasis: [
        ['36/2024/QH15', 'Luật Trật tự, an toàn giao thông đường bộ'],
        ['35/2024/TT-BCA', 'Thông tư quy định về đào tạo, sát hạch, cấp giấy phép lái xe'],
        ['37/2023/TT-BTC', 'Thông tư quy định phí, lệ phí trong lĩnh vực đường bộ'],
      ],
      steps: [
        'Nộp hồ sơ trực tuyến hoặc tại Công an cấp tỉnh.',
        'Nộp lệ phí.',
        'Nhận giấy phép lái xe trực tiếp hoặc qua bưu chính.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['đổi bằng lái xe', 'gplx', 'bằng lái', 'cấp đổi giấy phép lái xe'],
      sourceNote: `Lệ phí 135.000 đồng theo Thông tư 37/2023/TT-BTC (đã đối chiếu); mức trực tuyến 115.000 đồng và thời hạn 05 ngày làm việc chưa đối chiếu. Từ 01/3/2025 việc cấp, đổi giấy phép lái xe chuyển sang Bộ Công an. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.000532',
    owner: 'BCA',
    popularity: 6_000_000,
    content: content({
      name: 'Nộp tiền phạt vi phạm hành chính trong lĩnh vực giao thông đường bộ',
      nameEn: 'Paying a road-traffic fine',
      summary:
        'Tra cứu quyết định xử phạt theo số quyết định và nộp tiền phạt vào tài khoản Kho bạc Nhà nước ghi trong quyết định.',
      sectorCodes: ['CA-XLVP'],
      levels: ['central', 'province', 'commune'],
      implementingAgencies: [
        { name: 'Cơ quan Cảnh sát giao thông ra quyết định xử phạt' },
        { name: 'Kho bạc Nhà nước' },
      ],
      audiences: ['citizen', 'business', 'organisation'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        online(
          time(
            1,
            'day',
            [
              phi('Tiền phạt', {
                type: 'as-decided',
                description:
                  'Số tiền ghi trong quyết định xử phạt; nộp chậm quá 10 ngày thì mỗi ngày chậm nộp phạt thêm 0,05% số tiền chưa nộp',
              }),
            ],
            'Xác nhận nộp phạt ngay khi giao dịch thành công.',
          ),
        ),
        inPerson(
          time(1, 'day', [
            phi('Tiền phạt', { type: 'as-decided', description: 'Số tiền ghi trong quyết định xử phạt' }),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Nộp phạt theo quyết định xử phạt',
          documents: [
            doc('QDXP', 'Quyết định xử phạt vi phạm hành chính (số quyết định)', {
              note: 'Chỉ cần nhập số quyết định khi nộp trực tuyến',
            }),
          ],
        },
      ],
      fields: [
        text('soQuyetDinh', 'Số quyết định xử phạt', 'Decision number', true, 50),
        text('bienSo', 'Biển số xe', 'Licence plate', false, 20),
      ],
      results: [
        { name: 'Biên lai thu tiền phạt điện tử' },
        { name: 'Giấy tờ bị tạm giữ được gửi trả qua bưu chính (nếu có yêu cầu)' },
      ],
      legalBasis: [
        ['15/2012/QH13', 'Luật Xử lý vi phạm hành chính'],
        [
          '168/2024/NĐ-CP',
          'Nghị định quy định xử phạt vi phạm hành chính về trật tự, an toàn giao thông trong lĩnh vực giao thông đường bộ',
        ],
        ['18/2023/TT-BTC', 'Thông tư hướng dẫn thu, nộp tiền phạt'],
      ],
      steps: [
        'Tra cứu quyết định xử phạt theo số quyết định.',
        'Thanh toán trực tuyến qua ngân hàng hoặc trung gian thanh toán.',
        'Nhận biên lai điện tử; giấy tờ bị tạm giữ được trả qua bưu chính nếu có yêu cầu.',
      ],
      conditions: [
        'Đã có quyết định xử phạt (thông báo vi phạm qua hình ảnh phải được lập thành quyết định tại cơ quan công an trước).',
        'Nộp trong 10 ngày kể từ ngày nhận quyết định.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['phạt nguội', 'nộp phạt giao thông', 'nộp phạt vi phạm giao thông', 'tra cứu phạt nguội'],
      sourceNote: `Thời hạn 10 ngày và tiền chậm nộp 0,05%/ngày theo Luật Xử lý vi phạm hành chính và Thông tư 18/2023/TT-BTC (đã đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '2.001255',
    owner: 'BCA',
    popularity: 1_200_000,
    content: content({
      name: 'Đăng ký xe lần đầu (xe mô tô, xe gắn máy)',
      nameEn: 'First registration of a motorcycle',
      sectorCodes: ['CA-DKX'],
      levels: ['commune', 'province'],
      implementingAgencies: [COMMUNE_POLICE, { name: 'Phòng Cảnh sát giao thông, Công an cấp tỉnh' }],
      audiences: ['citizen', 'business'],
      onlineLevel: 'partial',
      channels: [
        inPerson(
          time(2, 'working-day', [
            lePhi(
              'Lệ phí cấp chứng nhận đăng ký, biển số xe mô tô',
              fixed(2_000_000),
              'Khu vực I (Hà Nội, TP. Hồ Chí Minh), xe trị giá từ 15 đến 40 triệu đồng; mức khác theo giá trị xe và khu vực',
            ),
          ]),
        ),
        online(
          time(
            2,
            'working-day',
            [lePhi('Lệ phí cấp chứng nhận đăng ký, biển số xe mô tô', fixed(2_000_000))],
            'Đưa xe đến kiểm tra và bấm biển số.',
          ),
        ),
      ],
      cases: [
        {
          name: 'Đăng ký xe mới',
          documents: [
            doc('GIAYKHAI', 'Giấy khai đăng ký xe', { template: 'Mẫu giấy khai đăng ký xe' }),
            doc('HOADON', 'Chứng từ nguồn gốc xe (hóa đơn, phiếu kiểm tra chất lượng xuất xưởng)'),
            doc('LPTB', 'Chứng từ nộp lệ phí trước bạ', {
              note: 'Thông tin nộp lệ phí trước bạ có thể được liên thông điện tử',
            }),
          ],
        },
      ],
      fields: [
        text('soKhung', 'Số khung', 'Frame number', true, 40),
        text('soMay', 'Số máy', 'Engine number', true, 40),
      ],
      results: [{ name: 'Chứng nhận đăng ký xe và biển số xe' }],
      legalBasis: [
        ['36/2024/QH15', 'Luật Trật tự, an toàn giao thông đường bộ'],
        ['79/2024/TT-BCA', 'Thông tư quy định về cấp, thu hồi chứng nhận đăng ký, biển số xe'],
        ['60/2023/TT-BTC', 'Thông tư quy định lệ phí đăng ký, cấp biển phương tiện giao thông'],
      ],
      steps: [
        'Kê khai giấy khai đăng ký xe (trực tuyến hoặc tại cơ quan đăng ký).',
        'Đưa xe đến kiểm tra, bấm biển số.',
        'Nhận chứng nhận đăng ký xe.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['đăng ký xe máy', 'biển số xe', 'cà vẹt'],
      sourceNote: `Mức lệ phí tóm tắt theo Thông tư 60/2023/TT-BTC cho một trường hợp; các mức khác chưa nhập. ${UNVERIFIED_CODE}`,
    }),
  },
  // ——— Bảo hiểm xã hội ———
  {
    code: '1.011902',
    owner: 'BHXH',
    popularity: 1_000_000,
    content: content({
      name: 'Đóng bảo hiểm xã hội tự nguyện',
      nameEn: 'Voluntary social insurance contributions',
      summary:
        'Đăng ký và đóng bảo hiểm xã hội tự nguyện theo tháng, 3, 6, 12 tháng hoặc đóng trước nhiều năm; Nhà nước hỗ trợ một phần tiền đóng.',
      sectorCodes: ['BHXH-THU'],
      levels: ['central', 'province', 'commune'],
      implementingAgencies: [{ name: 'Cơ quan bảo hiểm xã hội' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        online(
          time(5, 'working-day', [
            phi(
              'Tiền đóng bảo hiểm xã hội tự nguyện (mỗi tháng)',
              {
                type: 'percent',
                basisPoints: 2_200,
                base: 'thu nhập tháng lựa chọn',
                minBase: 1_500_000,
                maxBase: 46_800_000,
              },
              'Nhà nước hỗ trợ 50% (hộ nghèo), 40% (hộ cận nghèo), 30% (người dân tộc thiểu số), 20% (đối tượng khác) của mức đóng tính trên chuẩn nghèo khu vực nông thôn',
            ),
          ]),
        ),
        inPerson(
          time(5, 'working-day', [
            phi('Tiền đóng bảo hiểm xã hội tự nguyện (mỗi tháng)', {
              type: 'percent',
              basisPoints: 2_200,
              base: 'thu nhập tháng lựa chọn',
              minBase: 1_500_000,
              maxBase: 46_800_000,
            }),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Đăng ký đóng lần đầu',
          documents: [
            doc(
              'TK1-TS',
              'Tờ khai tham gia, điều chỉnh thông tin bảo hiểm xã hội, bảo hiểm y tế (mẫu TK1-TS)',
              { template: 'Mẫu TK1-TS' },
            ),
          ],
        },
      ],
      fields: [
        num(
          'thuNhapLuaChon',
          'Mức thu nhập tháng lựa chọn (đồng)',
          'Chosen monthly income (VND)',
          1_500_000,
          46_800_000,
        ),
        choice('phuongThuc', 'Phương thức đóng', 'Payment schedule', [
          ['1', 'Hằng tháng', 'Monthly'],
          ['3', '03 tháng một lần', 'Every 3 months'],
          ['6', '06 tháng một lần', 'Every 6 months'],
          ['12', '12 tháng một lần', 'Every 12 months'],
        ]),
      ],
      results: [{ name: 'Sổ bảo hiểm xã hội (bản điện tử trên VssID)' }],
      legalBasis: [
        ['41/2024/QH15', 'Luật Bảo hiểm xã hội'],
        ['159/2025/NĐ-CP', 'Nghị định quy định chi tiết về bảo hiểm xã hội tự nguyện'],
      ],
      steps: [
        'Kê khai tờ khai trực tuyến hoặc tại đại lý thu.',
        'Chọn mức thu nhập và phương thức đóng.',
        'Thanh toán trực tuyến; nhận thông tin trên ứng dụng VssID.',
      ],
      conditions: ['Công dân Việt Nam từ đủ 15 tuổi, không thuộc đối tượng bảo hiểm xã hội bắt buộc.'],
      payment: 'before',
      after15hRule: false,
      keywords: ['bhxh tự nguyện', 'đóng tiếp bảo hiểm xã hội', 'đóng bhxh'],
      sourceNote: `22% thu nhập lựa chọn, từ chuẩn nghèo nông thôn 1.500.000 đồng đến 20 lần mức tham chiếu 2.340.000 đồng: 330.000 – 10.296.000 đồng/tháng; tỷ lệ hỗ trợ theo Nghị định 159/2025/NĐ-CP (đã đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.011903',
    owner: 'BHXH',
    popularity: 2_000_000,
    content: content({
      name: 'Gia hạn thẻ bảo hiểm y tế theo hộ gia đình',
      nameEn: 'Renewing a household health insurance card',
      sectorCodes: ['BHXH-THU', 'BHXH-BHYT'],
      levels: ['central', 'province', 'commune'],
      implementingAgencies: [{ name: 'Cơ quan bảo hiểm xã hội' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        online(
          time(1, 'working-day', [
            phi(
              'Tiền đóng bảo hiểm y tế của người thứ nhất (mỗi tháng)',
              { type: 'per-unit', amount: 105_300, unit: 'tháng' },
              '4,5% mức tham chiếu 2.340.000 đồng; người thứ hai, ba, tư đóng 70%, 60%, 50%, từ người thứ năm 40% mức của người thứ nhất',
            ),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Gia hạn thẻ',
          documents: [
            doc('DS-HGD', 'Danh sách thành viên hộ gia đình tham gia bảo hiểm y tế', {
              note: 'Khai thác từ Cơ sở dữ liệu quốc gia về dân cư',
            }),
          ],
        },
      ],
      fields: [
        num('soThang', 'Số tháng gia hạn', 'Months', 3, 12),
        text('maBHXH', 'Mã số bảo hiểm xã hội', 'Social insurance number', true, 10),
      ],
      results: [{ name: 'Thẻ bảo hiểm y tế được gia hạn (bản điện tử trên VssID, VNeID)' }],
      legalBasis: [
        ['25/2008/QH12', 'Luật Bảo hiểm y tế (sửa đổi, bổ sung)'],
        ['188/2025/NĐ-CP', 'Nghị định quy định chi tiết Luật Bảo hiểm y tế'],
      ],
      steps: ['Tra cứu mã số bảo hiểm xã hội.', 'Chọn số tháng, thanh toán trực tuyến.', 'Nhận thẻ điện tử.'],
      payment: 'before',
      after15hRule: false,
      keywords: ['gia hạn bhyt', 'mua bảo hiểm y tế', 'đóng bảo hiểm y tế hộ gia đình'],
      sourceNote: `4,5% × 2.340.000 = 105.300 đồng/tháng (tính từ mức tham chiếu; văn bản hướng dẫn chưa đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.011904',
    owner: 'BHXH',
    popularity: 1_300_000,
    content: content({
      name: 'Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      nameEn: 'Health insurance card for a child under 6',
      sectorCodes: ['BHXH-BHYT'],
      levels: ['commune', 'province'],
      implementingAgencies: [{ name: 'Cơ quan bảo hiểm xã hội' }, COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        online(time(5, 'working-day', [phi('Không thu tiền (ngân sách nhà nước đóng)', FREE)])),
        inPerson(time(5, 'working-day', [phi('Không thu tiền (ngân sách nhà nước đóng)', FREE)])),
      ],
      cases: [
        {
          name: 'Cấp thẻ cho trẻ em dưới 6 tuổi',
          documents: [
            doc(
              'TK1-TS',
              'Tờ khai tham gia, điều chỉnh thông tin bảo hiểm xã hội, bảo hiểm y tế (mẫu TK1-TS)',
              { template: 'Mẫu TK1-TS', note: 'Thông tin khai sinh được liên thông, không phải nộp bản sao' },
            ),
          ],
        },
      ],
      fields: [
        text('hoTenTre', 'Họ, chữ đệm và tên của trẻ', "Child's full name"),
        {
          type: 'id-number',
          key: 'soDinhDanhTre',
          label: { vi: 'Số định danh cá nhân của trẻ', en: "Child's personal identification number" },
          required: true,
        },
      ],
      results: [{ name: 'Thẻ bảo hiểm y tế của trẻ' }],
      legalBasis: [
        ['25/2008/QH12', 'Luật Bảo hiểm y tế'],
        [
          '63/2024/NĐ-CP',
          'Nghị định về thực hiện liên thông điện tử nhóm thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
        ],
      ],
      steps: [
        'Thông tin khai sinh, thường trú được chuyển từ Ủy ban nhân dân cấp xã và công an.',
        'Cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['bhyt trẻ em', 'thẻ bảo hiểm y tế cho con'],
      sourceNote: `Trẻ em dưới 6 tuổi được ngân sách nhà nước đóng bảo hiểm y tế (Luật Bảo hiểm y tế). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.001978',
    owner: 'BNV',
    popularity: 1_000_000,
    content: content({
      name: 'Giải quyết hưởng trợ cấp thất nghiệp',
      nameEn: 'Unemployment benefit',
      sectorCodes: ['NV-VIECLAM'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Trung tâm dịch vụ việc làm' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(time(20, 'working-day', [phi('Không thu phí', FREE)])),
        online(time(20, 'working-day', [phi('Không thu phí', FREE)])),
      ],
      cases: [
        {
          name: 'Người lao động đã chấm dứt hợp đồng lao động',
          documents: [
            doc('DE-NGHI-TCTN', 'Đề nghị hưởng trợ cấp thất nghiệp', {
              template: 'Mẫu đề nghị hưởng trợ cấp thất nghiệp',
            }),
            doc('CHAMDUT', 'Giấy tờ xác nhận chấm dứt hợp đồng lao động hoặc hợp đồng làm việc'),
            doc('SOBHXH', 'Sổ bảo hiểm xã hội', { note: 'Có thể khai thác trên Cơ sở dữ liệu bảo hiểm' }),
          ],
        },
      ],
      fields: [
        date('ngayChamDut', 'Ngày chấm dứt hợp đồng lao động', 'Date employment ended'),
        text('maBHXH', 'Mã số bảo hiểm xã hội', 'Social insurance number', true, 10),
      ],
      results: [{ name: 'Quyết định về việc hưởng trợ cấp thất nghiệp' }],
      legalBasis: [
        ['38/2013/QH13', 'Luật Việc làm'],
        ['28/2015/NĐ-CP', 'Nghị định quy định chi tiết Luật Việc làm về bảo hiểm thất nghiệp'],
      ],
      steps: [
        'Nộp hồ sơ trong 03 tháng kể từ ngày chấm dứt hợp đồng.',
        'Trung tâm dịch vụ việc làm xem xét, trình quyết định.',
        'Nhận quyết định và trợ cấp hằng tháng.',
      ],
      conditions: [
        'Đã đóng bảo hiểm thất nghiệp từ đủ 12 tháng trong 24 tháng trước khi chấm dứt hợp đồng lao động.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['bảo hiểm thất nghiệp', 'trợ cấp thất nghiệp', 'bhtn'],
      sourceNote: `Thời hạn 20 ngày làm việc theo Luật Việc làm 2013 (Luật Việc làm 2025 có hiệu lực sau có thể thay đổi; chưa đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  // ——— Doanh nghiệp, hộ kinh doanh, thuế ———
  {
    code: '2.001610',
    owner: 'BTC',
    popularity: 160_000,
    content: content({
      name: 'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên',
      nameEn: 'Registration of a single-member limited liability company',
      sectorCodes: ['TC-DKKD'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Phòng Đăng ký kinh doanh thuộc cơ quan đăng ký kinh doanh cấp tỉnh' }],
      audiences: ['citizen', 'business'],
      onlineLevel: 'full',
      legacyLevel: 4,
      channels: [
        inPerson(
          time(3, 'working-day', [
            lePhi('Lệ phí đăng ký doanh nghiệp', fixed(50_000)),
            phi('Phí công bố nội dung đăng ký doanh nghiệp', fixed(100_000)),
          ]),
        ),
        online(
          time(3, 'working-day', [
            lePhi('Lệ phí đăng ký doanh nghiệp (qua mạng điện tử)', FREE),
            phi('Phí công bố nội dung đăng ký doanh nghiệp', fixed(100_000)),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Chủ sở hữu là cá nhân',
          documents: [
            doc('GDN', 'Giấy đề nghị đăng ký doanh nghiệp', {
              template: 'Phụ lục I-2 (Thông tư 68/2025/TT-BTC)',
            }),
            doc('DIEULE', 'Điều lệ công ty'),
            doc('GTPL-CN', 'Bản sao giấy tờ pháp lý của cá nhân là chủ sở hữu', {
              originals: 0,
              copies: 1,
              required: false,
              note: 'Không phải nộp khi đã xác thực bằng tài khoản định danh điện tử',
            }),
          ],
        },
        {
          name: 'Chủ sở hữu là tổ chức',
          documents: [
            doc('GDN', 'Giấy đề nghị đăng ký doanh nghiệp', {
              template: 'Phụ lục I-2 (Thông tư 68/2025/TT-BTC)',
            }),
            doc('DIEULE', 'Điều lệ công ty'),
            doc('GTPL-TC', 'Bản sao giấy tờ pháp lý của tổ chức là chủ sở hữu', { originals: 0, copies: 1 }),
            doc('UQ-DD', 'Văn bản cử người đại diện theo ủy quyền', { required: false }),
          ],
        },
      ],
      fields: [
        text('tenDoanhNghiep', 'Tên doanh nghiệp', 'Company name', true, 250),
        num('vonDieuLe', 'Vốn điều lệ (đồng)', 'Charter capital (VND)', 1, 1_000_000_000_000),
        text('nganhNghe', 'Ngành, nghề kinh doanh chính (mã ngành cấp 4)', 'Main business line', true, 500),
      ],
      results: [{ name: 'Giấy chứng nhận đăng ký doanh nghiệp' }],
      legalBasis: [
        ['59/2020/QH14', 'Luật Doanh nghiệp'],
        ['168/2025/NĐ-CP', 'Nghị định về đăng ký doanh nghiệp'],
        ['47/2019/TT-BTC', 'Thông tư quy định phí, lệ phí đăng ký doanh nghiệp'],
      ],
      steps: [
        'Nộp hồ sơ trên Hệ thống thông tin quốc gia về đăng ký doanh nghiệp hoặc tại Phòng Đăng ký kinh doanh.',
        'Phòng Đăng ký kinh doanh xem xét trong 03 ngày làm việc.',
        'Nhận Giấy chứng nhận đăng ký doanh nghiệp.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['thành lập công ty', 'đăng ký kinh doanh', 'mở công ty', 'dkkd', 'tnhh'],
      sourceNote: `Lệ phí 50.000 đồng, miễn khi nộp qua mạng; phí công bố 100.000 đồng (Thông tư 47/2019/TT-BTC); thời hạn 03 ngày làm việc (Luật Doanh nghiệp) — đã đối chiếu. Mẫu theo văn bản năm 2025 chưa đối chiếu. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '2.001612',
    owner: 'BTC',
    popularity: 60_000,
    content: content({
      name: 'Đăng ký thành lập công ty cổ phần',
      nameEn: 'Registration of a joint-stock company',
      sectorCodes: ['TC-DKKD'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Phòng Đăng ký kinh doanh thuộc cơ quan đăng ký kinh doanh cấp tỉnh' }],
      audiences: ['citizen', 'business'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(3, 'working-day', [
            lePhi('Lệ phí đăng ký doanh nghiệp', fixed(50_000)),
            phi('Phí công bố nội dung đăng ký doanh nghiệp', fixed(100_000)),
          ]),
        ),
        online(
          time(3, 'working-day', [
            lePhi('Lệ phí đăng ký doanh nghiệp (qua mạng điện tử)', FREE),
            phi('Phí công bố nội dung đăng ký doanh nghiệp', fixed(100_000)),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Thành lập mới',
          documents: [
            doc('GDN', 'Giấy đề nghị đăng ký doanh nghiệp', { template: 'Phụ lục I-4' }),
            doc('DIEULE', 'Điều lệ công ty'),
            doc('DS-CDSL', 'Danh sách cổ đông sáng lập'),
            doc('GTPL', 'Bản sao giấy tờ pháp lý của các cổ đông sáng lập', { originals: 0, copies: 1 }),
          ],
        },
      ],
      fields: [
        text('tenDoanhNghiep', 'Tên doanh nghiệp', 'Company name', true, 250),
        num('vonDieuLe', 'Vốn điều lệ (đồng)', 'Charter capital (VND)', 1, 1_000_000_000_000),
      ],
      results: [{ name: 'Giấy chứng nhận đăng ký doanh nghiệp' }],
      legalBasis: [
        ['59/2020/QH14', 'Luật Doanh nghiệp'],
        ['47/2019/TT-BTC', 'Thông tư quy định phí, lệ phí đăng ký doanh nghiệp'],
      ],
      steps: ['Nộp hồ sơ.', 'Nhận kết quả sau 03 ngày làm việc.'],
      payment: 'before',
      after15hRule: false,
      keywords: ['thành lập công ty cổ phần', 'đăng ký kinh doanh'],
      sourceNote: `Như công ty TNHH một thành viên. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '2.000575',
    owner: 'BTC',
    popularity: 500_000,
    content: content({
      name: 'Đăng ký thành lập hộ kinh doanh',
      nameEn: 'Registration of a household business',
      sectorCodes: ['TC-HKD'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(3, 'working-day', [
            lePhi(
              'Lệ phí đăng ký hộ kinh doanh',
              fixed(100_000),
              'Mức thu do Hội đồng nhân dân cấp tỉnh quyết định (mức ghi là mức phổ biến, chưa đối chiếu)',
            ),
          ]),
        ),
        online(
          time(3, 'working-day', [
            lePhi('Lệ phí đăng ký hộ kinh doanh (trực tuyến)', fixed(50_000), 'Chưa đối chiếu'),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Đăng ký mới',
          documents: [
            doc('GDN-HKD', 'Giấy đề nghị đăng ký hộ kinh doanh', {
              template: 'Mẫu giấy đề nghị đăng ký hộ kinh doanh',
            }),
            doc('BB-HOP', 'Biên bản họp thành viên hộ gia đình (khi các thành viên cùng đăng ký)', {
              required: false,
            }),
          ],
        },
      ],
      fields: [
        text('tenHoKinhDoanh', 'Tên hộ kinh doanh', 'Business name', true, 200),
        text('nganhNghe', 'Ngành, nghề kinh doanh', 'Business lines', true, 500),
        num('vonKinhDoanh', 'Vốn kinh doanh (đồng)', 'Capital (VND)', 1, 100_000_000_000),
      ],
      results: [{ name: 'Giấy chứng nhận đăng ký hộ kinh doanh' }],
      legalBasis: [
        ['59/2020/QH14', 'Luật Doanh nghiệp'],
        ['168/2025/NĐ-CP', 'Nghị định về đăng ký doanh nghiệp'],
      ],
      steps: [
        'Nộp hồ sơ tại Ủy ban nhân dân cấp xã hoặc trực tuyến.',
        'Nhận Giấy chứng nhận trong 03 ngày làm việc.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['giấy phép kinh doanh hộ cá thể', 'đăng ký kinh doanh hộ gia đình', 'hkd'],
      sourceNote: `Lệ phí do HĐND tỉnh quyết định; từ 01/7/2025 thủ tục do cấp xã thực hiện (chưa đối chiếu văn bản phân cấp). ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.007541',
    owner: 'BTC',
    popularity: 3_000_000,
    content: content({
      name: 'Quyết toán thuế thu nhập cá nhân đối với cá nhân cư trú có thu nhập từ tiền lương, tiền công',
      nameEn: 'Personal income tax finalisation (salaries and wages)',
      sectorCodes: ['TC-THUE'],
      levels: ['province', 'central'],
      implementingAgencies: [{ name: 'Cơ quan thuế quản lý' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        online(
          time(
            6,
            'working-day',
            [phi('Không thu phí', FREE)],
            'Hoàn thuế (nếu có): trong 06 ngày làm việc kể từ khi nhận đủ hồ sơ nộp điện tử',
          ),
        ),
        inPerson(time(6, 'working-day', [phi('Không thu phí', FREE)])),
      ],
      cases: [
        {
          name: 'Cá nhân trực tiếp quyết toán',
          documents: [
            doc('02-QTT-TNCN', 'Tờ khai quyết toán thuế thu nhập cá nhân (mẫu 02/QTT-TNCN)', {
              template: 'Mẫu 02/QTT-TNCN',
            }),
            doc('CHUNGTU-KT', 'Chứng từ khấu trừ thuế (nếu có)', {
              required: false,
              originals: 0,
              copies: 1,
            }),
          ],
        },
      ],
      fields: [
        text('maSoThue', 'Mã số thuế (hoặc số định danh cá nhân)', 'Tax code', true, 14),
        num('namQuyetToan', 'Năm quyết toán', 'Tax year', 2020, 2100),
      ],
      results: [{ name: 'Thông báo chấp nhận tờ khai; hoàn thuế nếu nộp thừa' }],
      legalBasis: [
        ['38/2019/QH14', 'Luật Quản lý thuế'],
        ['80/2021/TT-BTC', 'Thông tư hướng dẫn Luật Quản lý thuế'],
      ],
      steps: [
        'Khai tờ khai trên Cổng thông tin thuế điện tử, ứng dụng eTax Mobile hoặc Cổng Dịch vụ công.',
        'Nộp thêm thuế hoặc đề nghị hoàn thuế.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['quyết toán thuế tncn', 'hoàn thuế thu nhập cá nhân', 'mst'],
      sourceNote: `Thời hạn hoàn thuế 06 ngày làm việc với hồ sơ điện tử theo Luật Quản lý thuế (chưa đối chiếu). ${UNVERIFIED_CODE}`,
    }),
  },
  // ——— Đất đai, xây dựng ———
  {
    code: '1.012770',
    owner: 'BNNMT',
    popularity: 900_000,
    content: content({
      name: 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu',
      nameEn: 'First land registration and land-use right certificate',
      sectorCodes: ['NNMT-DATDAI'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE, { name: 'Văn phòng đăng ký đất đai' }],
      audiences: ['citizen', 'organisation'],
      onlineLevel: 'partial',
      channels: [
        inPerson(
          time(
            20,
            'working-day',
            [
              lePhi(
                'Lệ phí cấp Giấy chứng nhận',
                fixed(100_000),
                'Mức thu do Hội đồng nhân dân cấp tỉnh quyết định (chưa đối chiếu)',
              ),
            ],
            'Không kể thời gian thực hiện nghĩa vụ tài chính.',
          ),
        ),
        online(time(20, 'working-day', [lePhi('Lệ phí cấp Giấy chứng nhận', fixed(100_000))])),
      ],
      cases: [
        {
          name: 'Hộ gia đình, cá nhân đề nghị cấp lần đầu',
          documents: [
            doc('DON-04', 'Đơn đăng ký đất đai, tài sản gắn liền với đất (mẫu số 04/ĐK)', {
              template: 'Mẫu số 04/ĐK',
            }),
            doc('GIAYTO-QSDD', 'Giấy tờ về quyền sử dụng đất (nếu có)', {
              required: false,
              originals: 0,
              copies: 1,
            }),
            doc('NVTC', 'Chứng từ thực hiện nghĩa vụ tài chính (nếu có)', { required: false }),
          ],
        },
      ],
      fields: [
        {
          type: 'address',
          key: 'diaChiThuaDat',
          label: { vi: 'Địa chỉ thửa đất', en: 'Address of the land' },
          required: true,
          level: 'commune',
        },
        num('dienTich', 'Diện tích (m²)', 'Area (m²)', 1, 10_000_000),
        text('soThua', 'Số thửa, số tờ bản đồ', 'Parcel number', false, 50),
      ],
      results: [{ name: 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất' }],
      legalBasis: [
        ['31/2024/QH15', 'Luật Đất đai'],
        ['101/2024/NĐ-CP', 'Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận'],
      ],
      steps: [
        'Nộp hồ sơ.',
        'Văn phòng đăng ký đất đai kiểm tra, đo đạc nếu cần, xác định nghĩa vụ tài chính.',
        'Người sử dụng đất thực hiện nghĩa vụ tài chính.',
        'Nhận Giấy chứng nhận.',
      ],
      payment: 'after',
      after15hRule: false,
      keywords: ['sổ đỏ', 'sổ hồng', 'làm sổ đỏ', 'cấp sổ đỏ lần đầu', 'qsdđ'],
      sourceNote: `Thời hạn 20 ngày làm việc theo Luật Đất đai 2024 và Nghị định 101/2024/NĐ-CP (chưa đối chiếu); lệ phí do HĐND tỉnh quyết định. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.009994',
    owner: 'BXD',
    popularity: 300_000,
    content: content({
      name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
      nameEn: 'Building permit for a detached house',
      sectorCodes: ['XD-HDXD'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(15, 'day', [
            lePhi(
              'Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ',
              fixed(75_000),
              'Mức thu do Hội đồng nhân dân cấp tỉnh quyết định (mức phổ biến, chưa đối chiếu)',
            ),
          ]),
        ),
        online(time(15, 'day', [lePhi('Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ', fixed(75_000))])),
      ],
      cases: [
        {
          name: 'Xây dựng mới nhà ở riêng lẻ',
          documents: [
            doc('DON-GPXD', 'Đơn đề nghị cấp giấy phép xây dựng', {
              template: 'Mẫu số 01 Phụ lục II Nghị định 175/2024/NĐ-CP',
            }),
            doc('GIAYTO-DAT', 'Bản sao giấy tờ chứng minh quyền sử dụng đất', { originals: 0, copies: 1 }),
            doc('BANVE', 'Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng)', {
              copies: 2,
              originals: 0,
            }),
          ],
        },
      ],
      fields: [
        {
          type: 'address',
          key: 'diaDiem',
          label: { vi: 'Địa điểm xây dựng', en: 'Building site' },
          required: true,
          level: 'commune',
        },
        num('soTang', 'Số tầng', 'Floors', 1, 50),
        num('dienTichSan', 'Tổng diện tích sàn (m²)', 'Floor area (m²)', 1, 100_000),
      ],
      results: [{ name: 'Giấy phép xây dựng' }],
      legalBasis: [
        ['50/2014/QH13', 'Luật Xây dựng (sửa đổi, bổ sung năm 2020)'],
        ['175/2024/NĐ-CP', 'Nghị định quy định chi tiết Luật Xây dựng về quản lý hoạt động xây dựng'],
      ],
      steps: [
        'Nộp hồ sơ.',
        'Cơ quan cấp phép kiểm tra thực địa, thẩm định.',
        'Nhận giấy phép trong 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.',
      ],
      payment: 'before',
      after15hRule: false,
      keywords: ['xin phép xây nhà', 'giấy phép xây dựng', 'gpxd'],
      sourceNote: `Thời hạn 15 ngày theo Luật Xây dựng (đã đối chiếu); lệ phí do HĐND tỉnh quyết định. ${UNVERIFIED_CODE}`,
    }),
  },
  {
    code: '1.001776',
    owner: 'BYT',
    popularity: 150_000,
    content: content({
      name: 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng',
      nameEn: 'Monthly social allowance: grant, change or end',
      sectorCodes: ['YT-BTXH'],
      levels: ['commune'],
      implementingAgencies: [COMMUNE],
      audiences: ['citizen'],
      onlineLevel: 'partial',
      channels: [
        inPerson(time(10, 'working-day', [phi('Không thu phí', FREE)])),
        online(time(10, 'working-day', [phi('Không thu phí', FREE)])),
      ],
      cases: [
        {
          name: 'Đề nghị hưởng trợ cấp xã hội hằng tháng',
          documents: [
            doc('TK-TCXH', 'Tờ khai đề nghị trợ giúp xã hội', {
              template: 'Mẫu tờ khai (Nghị định 20/2021/NĐ-CP)',
            }),
          ],
        },
      ],
      fields: [
        choice('doiTuong', 'Thuộc đối tượng', 'Category', [
          ['cao-tuoi', 'Người cao tuổi', 'Older person'],
          ['khuyet-tat', 'Người khuyết tật', 'Person with a disability'],
          ['tre-em', 'Trẻ em có hoàn cảnh đặc biệt', 'Child in special circumstances'],
          ['khac', 'Đối tượng khác', 'Other'],
        ]),
      ],
      results: [{ name: 'Quyết định trợ cấp xã hội hằng tháng' }],
      legalBasis: [
        ['20/2021/NĐ-CP', 'Nghị định quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội'],
      ],
      steps: [
        'Nộp tờ khai tại Ủy ban nhân dân cấp xã.',
        'Hội đồng xét duyệt, niêm yết công khai.',
        'Chủ tịch Ủy ban nhân dân quyết định trợ cấp.',
      ],
      payment: 'none',
      after15hRule: false,
      keywords: ['trợ cấp người cao tuổi', 'trợ cấp khuyết tật', 'bảo trợ xã hội'],
      sourceNote: `Mã 1.001776 là mã ví dụ trong tài liệu tích hợp; việc gán cho thủ tục này chưa đối chiếu. Thời hạn tóm tắt (chưa đối chiếu).`,
    }),
  },
  {
    code: '1.005092',
    owner: 'BGDDT',
    popularity: 100_000,
    content: content({
      name: 'Cấp bản sao văn bằng, chứng chỉ từ sổ gốc',
      nameEn: 'Copy of a diploma or certificate from the master register',
      sectorCodes: ['GD-DAOTAO'],
      levels: ['province'],
      implementingAgencies: [{ name: 'Cơ sở giáo dục, Sở Giáo dục và Đào tạo đang quản lý sổ gốc' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(
          time(
            1,
            'working-day',
            [
              phi(
                'Phí cấp bản sao từ sổ gốc',
                { type: 'per-unit', amount: 3_000, unit: 'bản' },
                'Mức theo quy định của cơ sở (chưa đối chiếu)',
              ),
            ],
            AFTER_15H,
          ),
        ),
        online(
          time(1, 'working-day', [
            phi('Phí cấp bản sao từ sổ gốc', { type: 'per-unit', amount: 3_000, unit: 'bản' }),
          ]),
        ),
      ],
      cases: [
        {
          name: 'Cấp bản sao bằng tốt nghiệp, chứng chỉ',
          documents: [
            doc('DON-BS', 'Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc', {
              template: 'Mẫu đơn đề nghị',
            }),
          ],
        },
      ],
      fields: [
        text('tenVanBang', 'Tên văn bằng, chứng chỉ', 'Diploma', true, 200),
        num('namTotNghiep', 'Năm tốt nghiệp', 'Year', 1950, 2100),
        num('soBan', 'Số bản', 'Copies', 1, 20),
      ],
      results: [{ name: 'Bản sao văn bằng, chứng chỉ từ sổ gốc' }],
      legalBasis: [
        ['23/2015/NĐ-CP', 'Nghị định về cấp bản sao từ sổ gốc'],
        ['21/2019/TT-BGDĐT', 'Thông tư ban hành Quy chế quản lý bằng tốt nghiệp, chứng chỉ'],
      ],
      steps: ['Nộp đơn.', 'Cơ quan quản lý sổ gốc đối chiếu và cấp bản sao.'],
      payment: 'before',
      after15hRule: true,
      keywords: ['sao bằng tốt nghiệp', 'bản sao bằng đại học', 'bản sao từ sổ gốc'],
      sourceNote: `Thời hạn theo Nghị định 23/2015/NĐ-CP; phí chưa đối chiếu. ${UNVERIFIED_CODE}`,
    }),
  },
  // ——— A province's own procedure (Hà Nội): what the demo agency administrator edits ———
  {
    code: '1.001193.000.00.00.H26',
    owner: 'UBND-01',
    province: '01',
    popularity: 120_000,
    content: content({
      name: 'Đăng ký khai sinh (áp dụng tại thành phố Hà Nội)',
      nameEn: 'Birth registration (Hà Nội)',
      summary: 'Biến thể địa phương của thủ tục 1.001193 do Ủy ban nhân dân thành phố Hà Nội công bố.',
      sectorCodes: ['TP-HOTICH'],
      levels: ['commune'],
      implementingAgencies: [{ name: 'Ủy ban nhân dân xã, phường thuộc thành phố Hà Nội' }],
      audiences: ['citizen'],
      onlineLevel: 'full',
      channels: [
        inPerson(time(1, 'working-day', [lePhi('Lệ phí đăng ký khai sinh đúng hạn', FREE)], AFTER_15H)),
        online(time(1, 'working-day', [lePhi('Lệ phí đăng ký khai sinh đúng hạn', FREE)], AFTER_15H)),
      ],
      cases: [
        {
          name: 'Trẻ em có giấy chứng sinh',
          documents: [
            doc('TK-KS', 'Tờ khai đăng ký khai sinh', {
              template: 'Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)',
            }),
            doc('GCS', 'Giấy chứng sinh do cơ sở y tế cấp'),
          ],
        },
      ],
      fields: [
        text('hoTenTre', 'Họ, chữ đệm và tên của trẻ', "Child's full name"),
        date('ngaySinhTre', 'Ngày, tháng, năm sinh của trẻ', "Child's date of birth"),
      ],
      results: [{ name: 'Giấy khai sinh' }],
      legalBasis: HOTICH_BASIS,
      steps: ['Nộp hồ sơ tại Ủy ban nhân dân xã, phường hoặc trực tuyến.', 'Nhận Giấy khai sinh.'],
      payment: 'none',
      after15hRule: true,
      keywords: ['khai sinh hà nội'],
      sourceNote:
        'Biến thể địa phương dùng cho bản trình diễn; mã theo cấu trúc mã thủ tục + mã định danh 000.00.00.H26 của UBND thành phố Hà Nội.',
    }),
  },
];
