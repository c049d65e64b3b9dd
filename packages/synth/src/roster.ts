/*
 * Who works in the demo clinic. Each therapist practises MI at a fixed level (a number from 0,
 * poor MI, to 1, expert MI, drives what they say); the level names follow the MITI 4.2.1
 * thresholds the automatic coder's scores are judged against. Two therapists of the alcohol
 * programme attend an MI refresher mid-period and practise better from then on.
 */

export type Topic = "alcohol" | "smoking" | "diet";
export type SkillLevel = "below fair" | "fair" | "good";

export interface DemoProgramme {
  readonly id: string;
  readonly name: string;
  /** `client.enrolled` focus and the transcripts' subject. */
  readonly focus: Topic;
  readonly changeGoal: string;
}

export interface DemoTherapist {
  readonly id: string;
  readonly programmeId: string;
  readonly displayName: string;
  /** Level of MI practice (before the refresher, for those who attend it). */
  readonly skill: SkillLevel;
  /** Attends the MI refresher on DEMO_REFRESHER_DATE(now) and practises at `skillAfterRefresher` from then. */
  readonly refresher: boolean;
  readonly skillAfterRefresher?: SkillLevel;
}

export const DEMO_PROGRAMMES: readonly DemoProgramme[] = [
  { id: "prg_alcohol", name: "Alcohol brief intervention", focus: "alcohol", changeGoal: "drink less" },
  { id: "prg_smoking", name: "Stop smoking service", focus: "smoking", changeGoal: "stop smoking" },
  { id: "prg_diet", name: "Healthy eating and weight support", focus: "diet", changeGoal: "eat more healthily" },
];

interface TherapistSetting extends DemoTherapist {
  /** 0 (poor MI) to 1 (expert MI). */
  readonly level: number;
  readonly levelAfterRefresher?: number;
}

/**
 * Where each level sits on the generator's 0-1 scale: chosen so that the shipped coder's
 * Technical and Relational scores of these therapists' sessions mostly land in the named MITI
 * band (coder v2; its Relational runs a little higher than its Technical).
 */
const LEVEL: Record<SkillLevel, number> = { "below fair": 0.04, fair: 0.65, good: 0.85 };

function therapist(
  id: string,
  programmeId: string,
  displayName: string,
  skill: SkillLevel,
  offset: number,
  after?: SkillLevel,
): TherapistSetting {
  return {
    id,
    programmeId,
    displayName,
    skill,
    refresher: after !== undefined,
    level: LEVEL[skill] + offset,
    ...(after === undefined ? {} : { skillAfterRefresher: after, levelAfterRefresher: LEVEL[after] + offset }),
  };
}

export const THERAPIST_SETTINGS: readonly TherapistSetting[] = [
  therapist("thr_demo_01", "prg_alcohol", "Dr A. Rahman", "good", 0.03),
  therapist("thr_demo_02", "prg_alcohol", "J. Okonkwo", "fair", 0),
  therapist("thr_demo_03", "prg_alcohol", "M. Kowalski", "below fair", 0.02, "fair"),
  therapist("thr_demo_04", "prg_alcohol", "S. Lindqvist", "below fair", -0.02, "fair"),
  therapist("thr_demo_05", "prg_smoking", "Dr P. Mehta", "good", 0),
  therapist("thr_demo_06", "prg_smoking", "R. O'Neill", "good", -0.04),
  therapist("thr_demo_07", "prg_smoking", "L. Fernandes", "fair", 0.03),
  therapist("thr_demo_08", "prg_smoking", "T. Nakamura", "below fair", 0),
  therapist("thr_demo_09", "prg_diet", "Dr H. Osei", "good", 0.02),
  therapist("thr_demo_10", "prg_diet", "C. Byrne", "fair", -0.03),
  therapist("thr_demo_11", "prg_diet", "E. Novak", "fair", 0.04),
  therapist("thr_demo_12", "prg_diet", "K. Adeyemi", "below fair", 0.02),
];

export const DEMO_THERAPISTS: readonly DemoTherapist[] = THERAPIST_SETTINGS.map(
  ({ level: _level, levelAfterRefresher: _after, ...shown }) => shown,
);

/** Sites beyond the first, for clinics with more programmes than topics. */
const SITES = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Harbour"];

/** Names for the therapists of those further programmes (none of them a real person's). */
const FURTHER_NAMES = [
  "A. Brennan",
  "B. Castillo",
  "C. Duarte",
  "D. Eriksen",
  "E. Farouk",
  "F. Gallagher",
  "G. Haddad",
  "H. Ivanova",
  "I. Jansen",
  "J. Kaur",
  "K. Lambert",
  "L. Moreau",
  "M. Nwosu",
  "N. Ortega",
  "O. Petrov",
  "P. Quinn",
  "Q. Rossi",
  "R. Sato",
  "S. Tanaka",
  "T. Usman",
  "U. Varga",
  "V. Walsh",
  "W. Xu",
  "X. Yilmaz",
  "Y. Zielinski",
  "Z. Abbott",
  "A. Bianchi",
  "B. Chen",
  "C. Dlamini",
  "D. Evans",
  "E. Fischer",
  "F. Grant",
];

export interface ClinicRoster {
  readonly programmes: readonly DemoProgramme[];
  readonly therapists: readonly TherapistSetting[];
}

/**
 * The programmes and therapists of a clinic with `count` programmes: the demo's three first;
 * beyond them, the same topics again at further sites, each staffed like its topic's first
 * programme (the same mix of skill, the same refresher), by other therapists.
 */
export function clinicRoster(count: number): ClinicRoster {
  if (!Number.isInteger(count) || count < 1 || count > DEMO_PROGRAMMES.length * (SITES.length + 1))
    throw new Error(
      `programmes must be a whole number from 1 to ${DEMO_PROGRAMMES.length * (SITES.length + 1)}, got ${count}`,
    );
  const programmes: DemoProgramme[] = [];
  const therapists: TherapistSetting[] = [];
  for (let index = 0; index < count; index += 1) {
    const base = DEMO_PROGRAMMES[index % DEMO_PROGRAMMES.length] as DemoProgramme;
    const site = Math.floor(index / DEMO_PROGRAMMES.length);
    if (site === 0) {
      programmes.push(base);
      therapists.push(...THERAPIST_SETTINGS.filter((setting) => setting.programmeId === base.id));
      continue;
    }
    const programme = { ...base, id: `${base.id}_${site + 1}`, name: `${base.name} (${SITES[site - 1]})` };
    programmes.push(programme);
    for (const setting of THERAPIST_SETTINGS.filter((candidate) => candidate.programmeId === base.id)) {
      // The demo's twelve come first, so further therapists are numbered from 13.
      const number = therapists.length + 1;
      therapists.push({
        ...setting,
        id: `thr_demo_${String(number).padStart(2, "0")}`,
        programmeId: programme.id,
        displayName: FURTHER_NAMES[(number - 1) % FURTHER_NAMES.length] as string,
      });
    }
  }
  return { programmes, therapists };
}

export const DAY_MS = 86_400_000;

/** How far back the clinic's history goes: programmes and staff are registered this many days before `now`. */
export const HISTORY_DAYS = 305;

/** Midnight UTC of `now`'s day: the schedule is laid out from it, so it is the same all day. */
export function dayOf(now: Date): number {
  return Math.floor(now.getTime() / DAY_MS) * DAY_MS;
}

/**
 * The day (midnight UTC) of the MI refresher training for the alcohol programme's two weakest
 * therapists: 150 days before `now`'s day, mid-way through the history. From then on they
 * practise at their `skillAfterRefresher`, so their programme's fidelity run chart shifts.
 */
export function DEMO_REFRESHER_DATE(now: Date = new Date(), historyDays: number = HISTORY_DAYS): Date {
  // The same point of a longer or shorter history: 150 of the demo's 305 days before its end.
  return new Date(dayOf(now) - Math.round((historyDays * 150) / HISTORY_DAYS) * DAY_MS);
}

/** A therapist's 0-1 level of MI practice on a given date. */
export function levelAt(setting: TherapistSetting, time: number, refresherAt: number): number {
  return setting.levelAfterRefresher !== undefined && time >= refresherAt ? setting.levelAfterRefresher : setting.level;
}

export type { TherapistSetting };
