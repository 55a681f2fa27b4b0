import type { RequestType, ServiceCategory, Side } from '../../lib/backend/schemas.js';

/**
 * The demo backend's catalogue: request types, the sides each offers, and the service
 * categories of every (type, side) pair. Repair / Individual has 11 categories so the bot's
 * category keyboard (8 per page) needs a second page.
 */
export interface DemoCatalogue {
  listRequestTypes(): readonly RequestType[];
  /** Undefined when the request type does not exist (the server answers 404). */
  listSides(requestTypeId: number): readonly Side[] | undefined;
  /** Undefined when the type or the side does not exist, or the type does not offer that side. */
  listCategories(requestTypeId: number, sideId: number): readonly ServiceCategory[] | undefined;
  /** The category when it belongs to that type and side. */
  findCategory(requestTypeId: number, sideId: number, categoryId: number): ServiceCategory | undefined;
  requestTypeName(requestTypeId: number): string | undefined;
  sideName(sideId: number): string | undefined;
}

/** Request type → side → `[name, description]` of each service category, in order. */
export type DemoCatalogueSeed = Readonly<Record<string, Readonly<Record<string, readonly (readonly [name: string, description: string])[]>>>>;

const INDIVIDUAL = 'Individual';
const BUSINESS = 'Business';

/** Request type → side → categories. Ids are assigned in this order, so they are stable. */
export const DEMO_CATALOGUE_SEED: DemoCatalogueSeed = {
  Repair: {
    [INDIVIDUAL]: [
      ['Plumbing', 'Leaks, blocked drains, taps and toilets'],
      ['Electrical', 'Sockets, switches, wiring faults and tripping breakers'],
      ['Heating', 'Boilers, radiators and underfloor heating'],
      ['Air conditioning', 'Units that do not cool, leak or make noise'],
      ['Household appliances', 'Washing machines, dishwashers, ovens and fridges'],
      ['Doors and locks', 'Jammed doors, broken locks, lost keys'],
      ['Windows', 'Draughty frames, broken glazing and handles'],
      ['Roofing', 'Leaking roofs, gutters and missing tiles'],
      ['Flooring', 'Damaged boards, tiles and laminate'],
      ['Walls and ceilings', 'Cracks, damp patches and plaster repairs'],
      ['Water heaters', 'No hot water, leaking or noisy tanks'],
    ],
    [BUSINESS]: [
      ['Plumbing', 'Commercial washrooms, kitchens and water supply'],
      ['Electrical', 'Distribution boards, lighting circuits and power outages'],
      ['HVAC', 'Ventilation and climate systems in offices and shops'],
      ['Lifts', 'Passenger and goods lifts that stopped or misbehave'],
    ],
  },
  Installation: {
    [INDIVIDUAL]: [
      ['Boiler installation', 'New or replacement gas and electric boilers'],
      ['Smart home', 'Thermostats, smart lighting and sensors'],
      ['Air conditioner installation', 'Split systems for flats and houses'],
      ['Solar panels', 'Rooftop panels and inverters'],
    ],
    [BUSINESS]: [
      ['Office network cabling', 'Structured cabling and network points'],
      ['Security systems', 'CCTV, alarms and access control'],
      ['Commercial lighting', 'LED fit-outs for offices, shops and warehouses'],
    ],
  },
  Consultation: {
    [INDIVIDUAL]: [
      ['Energy audit', 'Where your home loses heat and how to fix it'],
      ['Renovation planning', 'Budget, order of works and permits'],
      ['Warranty questions', 'What the warranty covers and how to claim'],
    ],
    [BUSINESS]: [
      ['Maintenance contract', 'Scheduled maintenance for your premises'],
      ['Compliance inspection', 'Electrical and fire safety checks'],
      ['Facility assessment', 'Condition survey of buildings and equipment'],
    ],
  },
};

/** Builds the lookups from a seed; the default is the catalogue the demo and the tests use. */
export function createDemoCatalogue(seed: DemoCatalogueSeed = DEMO_CATALOGUE_SEED): DemoCatalogue {
  const types: RequestType[] = [];
  const sidesByName = new Map<string, Side>();
  const sidesByType = new Map<number, Side[]>();
  const categories = new Map<string, ServiceCategory[]>();
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
        list.map(([name, description]) => ({ id: nextCategoryId++, name, description })),
      );
    }
    sidesByType.set(type.id, offered);
  }

  return {
    listRequestTypes: () => types,
    listSides: (requestTypeId) => sidesByType.get(requestTypeId),
    listCategories: (requestTypeId, sideId) => categories.get(key(requestTypeId, sideId)),
    findCategory: (requestTypeId, sideId, categoryId) =>
      categories.get(key(requestTypeId, sideId))?.find((category) => category.id === categoryId),
    requestTypeName: (requestTypeId) => types.find((type) => type.id === requestTypeId)?.name,
    sideName: (sideId) => [...sidesByName.values()].find((side) => side.id === sideId)?.name,
  };
}

function key(requestTypeId: number, sideId: number): string {
  return `${requestTypeId}:${sideId}`;
}
