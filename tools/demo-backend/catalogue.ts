import type { RequestType, ServiceCategory, Side } from '../../lib/backend/schemas.js';
import type { DemoLanguage } from './languages.js';

/**
 * The demo backend's catalogue: request types, the sides each offers, and the service
 * categories of every (type, side) pair, in English and Russian. Repair / Individual has 11
 * categories so the bot's category keyboard (8 per page) needs a second page.
 */
export interface DemoCatalogue {
  listRequestTypes(lang?: DemoLanguage): readonly RequestType[];
  /** Undefined when the request type does not exist (the server answers 404). */
  listSides(requestTypeId: number, lang?: DemoLanguage): readonly Side[] | undefined;
  /** Undefined when the type or the side does not exist, or the type does not offer that side. */
  listCategories(requestTypeId: number, sideId: number, lang?: DemoLanguage): readonly ServiceCategory[] | undefined;
  /** The category when it belongs to that type and side. */
  findCategory(requestTypeId: number, sideId: number, categoryId: number, lang?: DemoLanguage): ServiceCategory | undefined;
  requestTypeName(requestTypeId: number, lang?: DemoLanguage): string | undefined;
  sideName(sideId: number, lang?: DemoLanguage): string | undefined;
}

/** A service: its English name and description, then the Russian ones (English when left out). */
type CategorySeed = readonly [name: string, description: string, nameRu?: string, descriptionRu?: string];
/** Request type → side → its service categories, in order (e.g. one with 100+ services for a test). */
export type DemoCatalogueSeed = Readonly<Record<string, Readonly<Record<string, readonly CategorySeed[]>>>>;

const INDIVIDUAL = 'Individual';
const BUSINESS = 'Business';

/** Russian names of the request types and sides (by their English names). */
const NAMES_RU: Readonly<Record<string, string>> = {
  Repair: 'Ремонт',
  Installation: 'Установка',
  Consultation: 'Консультация',
  [INDIVIDUAL]: 'Частное лицо',
  [BUSINESS]: 'Организация',
};

/** Request type → side → categories. Ids are assigned in this order, so they are stable. */
export const DEMO_CATALOGUE_SEED: DemoCatalogueSeed = {
  Repair: {
    [INDIVIDUAL]: [
      ['Plumbing', 'Leaks, blocked drains, taps and toilets', 'Сантехника', 'Протечки, засоры, краны и унитазы'],
      ['Electrical', 'Sockets, switches, wiring faults and tripping breakers', 'Электрика', 'Розетки, выключатели, неисправная проводка и выбивающие автоматы'],
      ['Heating', 'Boilers, radiators and underfloor heating', 'Отопление', 'Котлы, радиаторы и тёплые полы'],
      ['Air conditioning', 'Units that do not cool, leak or make noise', 'Кондиционеры', 'Не охлаждают, текут или шумят'],
      ['Household appliances', 'Washing machines, dishwashers, ovens and fridges', 'Бытовая техника', 'Стиральные и посудомоечные машины, духовки и холодильники'],
      ['Doors and locks', 'Jammed doors, broken locks, lost keys', 'Двери и замки', 'Заклинившие двери, сломанные замки, потерянные ключи'],
      ['Windows', 'Draughty frames, broken glazing and handles', 'Окна', 'Продувающие рамы, разбитые стёкла и ручки'],
      ['Roofing', 'Leaking roofs, gutters and missing tiles', 'Кровля', 'Протекающие крыши, водостоки и выпавшая черепица'],
      ['Flooring', 'Damaged boards, tiles and laminate', 'Полы', 'Повреждённые доски, плитка и ламинат'],
      ['Walls and ceilings', 'Cracks, damp patches and plaster repairs', 'Стены и потолки', 'Трещины, сырые пятна и ремонт штукатурки'],
      ['Water heaters', 'No hot water, leaking or noisy tanks', 'Водонагреватели', 'Нет горячей воды, бак течёт или шумит'],
    ],
    [BUSINESS]: [
      ['Plumbing', 'Commercial washrooms, kitchens and water supply', 'Сантехника', 'Санузлы, кухни и водоснабжение на предприятии'],
      ['Electrical', 'Distribution boards, lighting circuits and power outages', 'Электрика', 'Распределительные щиты, освещение и отключения питания'],
      ['HVAC', 'Ventilation and climate systems in offices and shops', 'Вентиляция и климат', 'Вентиляция и климатические системы в офисах и магазинах'],
      ['Lifts', 'Passenger and goods lifts that stopped or misbehave', 'Лифты', 'Пассажирские и грузовые лифты, которые встали или работают со сбоями'],
    ],
  },
  Installation: {
    [INDIVIDUAL]: [
      ['Boiler installation', 'New or replacement gas and electric boilers', 'Установка котла', 'Новые газовые и электрические котлы или замена старых'],
      ['Smart home', 'Thermostats, smart lighting and sensors', 'Умный дом', 'Термостаты, умное освещение и датчики'],
      ['Air conditioner installation', 'Split systems for flats and houses', 'Установка кондиционера', 'Сплит-системы для квартир и домов'],
      ['Solar panels', 'Rooftop panels and inverters', 'Солнечные панели', 'Панели на крыше и инверторы'],
    ],
    [BUSINESS]: [
      ['Office network cabling', 'Structured cabling and network points', 'Сеть в офисе', 'Структурированная кабельная система и сетевые розетки'],
      ['Security systems', 'CCTV, alarms and access control', 'Системы безопасности', 'Видеонаблюдение, сигнализация и контроль доступа'],
      ['Commercial lighting', 'LED fit-outs for offices, shops and warehouses', 'Коммерческое освещение', 'Светодиодное освещение офисов, магазинов и складов'],
    ],
  },
  Consultation: {
    [INDIVIDUAL]: [
      ['Energy audit', 'Where your home loses heat and how to fix it', 'Энергоаудит', 'Где дом теряет тепло и как это исправить'],
      ['Renovation planning', 'Budget, order of works and permits', 'Планирование ремонта', 'Бюджет, порядок работ и разрешения'],
      ['Warranty questions', 'What the warranty covers and how to claim', 'Вопросы по гарантии', 'Что покрывает гарантия и как ею воспользоваться'],
    ],
    [BUSINESS]: [
      ['Maintenance contract', 'Scheduled maintenance for your premises', 'Договор обслуживания', 'Плановое обслуживание ваших помещений'],
      ['Compliance inspection', 'Electrical and fire safety checks', 'Проверка соответствия', 'Проверки электро- и пожарной безопасности'],
      ['Facility assessment', 'Condition survey of buildings and equipment', 'Обследование объекта', 'Оценка состояния зданий и оборудования'],
    ],
  },
};

/** Builds the lookups from a seed; the default is the catalogue the demo and the tests use. */
export function createDemoCatalogue(seed: DemoCatalogueSeed = DEMO_CATALOGUE_SEED): DemoCatalogue {
  const types: RequestType[] = [];
  const sidesByName = new Map<string, Side>();
  const sidesByType = new Map<number, Side[]>();
  const categories = new Map<string, { readonly en: ServiceCategory; readonly ru: ServiceCategory }[]>();
  let nextCategoryId = 100;

  for (const [typeName, sides] of Object.entries(seed)) {
    const type = { id: types.length + 1, name: typeName };
    types.push(type);
    const offered: Side[] = [];
    for (const [sideName, list] of Object.entries(sides)) {
      // Sides are shared between types (ids 10, 20, …), as in DESIGN's example answer.
      let side = sidesByName.get(sideName);
      if (side === undefined) {
        side = { id: (sidesByName.size + 1) * 10, name: sideName };
        sidesByName.set(sideName, side);
      }
      offered.push(side);
      categories.set(
        key(type.id, side.id),
        list.map(([name, description, nameRu, descriptionRu]) => {
          const id = nextCategoryId++;
          return { en: { id, name, description }, ru: { id, name: nameRu ?? name, description: descriptionRu ?? description } };
        }),
      );
    }
    sidesByType.set(type.id, offered);
  }

  const named = <T extends { readonly name: string }>(item: T, lang: DemoLanguage | undefined): T =>
    lang === 'ru' ? { ...item, name: NAMES_RU[item.name] ?? item.name } : item;
  const categoriesIn = (requestTypeId: number, sideId: number, lang: DemoLanguage | undefined) =>
    categories.get(key(requestTypeId, sideId))?.map((category) => (lang === 'ru' ? category.ru : category.en));

  return {
    listRequestTypes: (lang) => types.map((type) => named(type, lang)),
    listSides: (requestTypeId, lang) => sidesByType.get(requestTypeId)?.map((side) => named(side, lang)),
    listCategories: categoriesIn,
    findCategory: (requestTypeId, sideId, categoryId, lang) => categoriesIn(requestTypeId, sideId, lang)?.find((category) => category.id === categoryId),
    requestTypeName: (requestTypeId, lang) => {
      const type = types.find((candidate) => candidate.id === requestTypeId);
      return type && named(type, lang).name;
    },
    sideName: (sideId, lang) => {
      const side = [...sidesByName.values()].find((candidate) => candidate.id === sideId);
      return side && named(side, lang).name;
    },
  };
}

function key(requestTypeId: number, sideId: number): string {
  return `${requestTypeId}:${sideId}`;
}
