import type { Role } from '../../core/roles.js';
import { createUser, type SessionUser } from '../../users/users.service.js';

/**
 * The demo's people. Every name is invented (none is a person named in the network's news page), with a
 * Latin name and a name in Dari or Pashto script for certificates; organisations are invented too.
 * One password for all: it is printed, and the demo refuses to load beside real accounts.
 */

export const DEMO_PASSWORD = 'demo password for sabaq';

export interface DemoPerson {
  email: string;
  name: string;
  localName: string;
  roles: Role[];
  locale: 'en' | 'fa-AF' | 'ps-AF';
  organisation: string;
  province: string;
}

const SECRETARIAT = 'Demo Network Secretariat';

/** One account per role at least, as the earlier demo had them: the same emails and password. */
export const STAFF: DemoPerson[] = [
  {
    email: 'admin@demo.sabaq',
    name: 'Demo Admin',
    localName: '',
    roles: ['admin'],
    locale: 'en',
    organisation: SECRETARIAT,
    province: 'Kabul',
  },
  {
    email: 'coordinator1@demo.sabaq',
    name: 'Maryam Ahmadi',
    localName: 'مریم احمدی',
    roles: ['coordinator'],
    locale: 'fa-AF',
    organisation: SECRETARIAT,
    province: 'Kabul',
  },
  {
    email: 'coordinator2@demo.sabaq',
    name: 'Farid Noori',
    localName: 'فرید نوری',
    roles: ['coordinator', 'trainer'],
    locale: 'en',
    organisation: SECRETARIAT,
    province: 'Kabul',
  },
  {
    email: 'trainer1@demo.sabaq',
    name: 'Gul Ahmad Yousafzai',
    localName: 'ګل‌احمد یوسفزی',
    roles: ['trainer'],
    locale: 'ps-AF',
    organisation: SECRETARIAT,
    province: 'Nangarhar',
  },
  {
    email: 'trainer2@demo.sabaq',
    name: 'Sima Rahimi',
    localName: 'سیما رحیمی',
    roles: ['trainer'],
    locale: 'en',
    organisation: SECRETARIAT,
    province: 'Kabul',
  },
];

/** The 14 members of the demo round, from seven provinces; member1 and member2 keep their old emails. */
export const MEMBERS: DemoPerson[] = (
  [
    {
      email: 'member1@demo.sabaq',
      name: 'Zahra Hosseini',
      localName: 'زهرا حسینی',
      locale: 'fa-AF',
      organisation: 'Roshani Women’s Legal Aid',
      province: 'Kabul',
    },
    {
      email: 'member2@demo.sabaq',
      name: 'Shkula Wardak',
      localName: 'ښکلا وردګ',
      locale: 'ps-AF',
      organisation: 'Paktia Youth Council',
      province: 'Paktia',
    },
    {
      email: 'nasrin.karimi@demo.sabaq',
      name: 'Nasrin Karimi',
      localName: 'نسرین کریمی',
      locale: 'fa-AF',
      organisation: 'Herat Child Rights Circle',
      province: 'Herat',
    },
    {
      email: 'jawad.sultani@demo.sabaq',
      name: 'Jawad Sultani',
      localName: 'جواد سلطانی',
      locale: 'fa-AF',
      organisation: 'Bamyan Community Voices',
      province: 'Bamyan',
    },
    {
      email: 'mursal.amiri@demo.sabaq',
      name: 'Mursal Amiri',
      localName: 'مرسل امیری',
      locale: 'fa-AF',
      organisation: 'Balkh Justice Watch',
      province: 'Balkh',
    },
    {
      email: 'habibullah.mangal@demo.sabaq',
      name: 'Habibullah Mangal',
      localName: 'حبیب‌الله منګل',
      locale: 'ps-AF',
      organisation: 'Paktia Youth Council',
      province: 'Paktia',
    },
    {
      email: 'laila.nazari@demo.sabaq',
      name: 'Laila Nazari',
      localName: 'لیلا نظری',
      locale: 'fa-AF',
      organisation: 'Herat Child Rights Circle',
      province: 'Herat',
    },
    {
      email: 'samiullah.shinwari@demo.sabaq',
      name: 'Samiullah Shinwari',
      localName: 'سمیع‌الله شینواری',
      locale: 'ps-AF',
      organisation: 'Nangarhar Civic Forum',
      province: 'Nangarhar',
    },
    {
      email: 'wazhma.achakzai@demo.sabaq',
      name: 'Wazhma Achakzai',
      localName: 'وږمه اڅکزۍ',
      locale: 'ps-AF',
      organisation: 'Kandahar Family Support',
      province: 'Kandahar',
    },
    {
      email: 'rahmatullah.popal@demo.sabaq',
      name: 'Rahmatullah Popal',
      localName: 'رحمت‌الله پوپل',
      locale: 'ps-AF',
      organisation: 'Kandahar Family Support',
      province: 'Kandahar',
    },
    {
      email: 'farzana.yaqubi@demo.sabaq',
      name: 'Farzana Yaqubi',
      localName: 'فرزانه یعقوبی',
      locale: 'fa-AF',
      organisation: 'Roshani Women’s Legal Aid',
      province: 'Kabul',
    },
    {
      email: 'bashir.hotak@demo.sabaq',
      name: 'Bashir Ahmad Hotak',
      localName: 'بشیر احمد هوتک',
      locale: 'ps-AF',
      organisation: 'Nangarhar Civic Forum',
      province: 'Nangarhar',
    },
    {
      email: 'tahmina.rezaei@demo.sabaq',
      name: 'Tahmina Rezaei',
      localName: 'تهمینه رضایی',
      locale: 'fa-AF',
      organisation: 'Bamyan Community Voices',
      province: 'Bamyan',
    },
    {
      email: 'omid.barakzai@demo.sabaq',
      name: 'Omid Barakzai',
      localName: 'امید بارکزی',
      locale: 'fa-AF',
      organisation: 'Balkh Justice Watch',
      province: 'Balkh',
    },
  ] satisfies Omit<DemoPerson, 'roles'>[]
).map((m) => ({ ...m, roles: ['member'] as Role[] }));

/** Creates everyone through the users service; the accounts by email. */
export async function createDemoPeople(): Promise<Map<string, SessionUser>> {
  const accounts = new Map<string, SessionUser>();
  for (const p of [...STAFF, ...MEMBERS]) {
    const user = await createUser({
      email: p.email,
      displayName: p.name,
      localName: p.localName,
      organisation: p.organisation,
      province: p.province,
      password: DEMO_PASSWORD,
      roles: p.roles,
      locale: p.locale,
    });
    accounts.set(p.email, user);
  }
  return accounts;
}
