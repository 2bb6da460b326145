/**
 * The bundle's NodeCG extension: follows Scoredesk's /live feed (live-link.ts) and keeps
 * one replicant per configured court (`court:<name>`, a CourtView) and one `status`
 * replicant (the link). Replicants are persistent: after a NodeCG restart the extension
 * resumes from the cursors they hold, and graphics show the last data (marked stale)
 * until it is live again. Configuration: cfg/scoredesk.json (configschema.json).
 */
import { courtReplicantName, emptyCourtView, type CourtView } from './court-feed.js';
import { startLiveLink, type LinkStatus } from './live-link.js';

/** The part of NodeCG's server API this extension uses (NodeCG 2.x). */
export interface NodeCGServerApi {
  bundleName: string;
  bundleConfig: unknown;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  Replicant<T>(name: string, options: { defaultValue: T; persistent?: boolean }): { value: T };
  on(event: 'serverStopping', listener: () => void): void;
}

/** cfg/scoredesk.json, as configschema.json describes it (NodeCG validates it and fills in the defaults). */
export interface ScoredeskBundleConfig {
  url: string;
  token: string;
  courts: string[];
  eventsKept: number;
}

export default function scoredeskExtension(nodecg: NodeCGServerApi): void {
  const config = nodecg.bundleConfig as ScoredeskBundleConfig;
  const status = nodecg.Replicant<LinkStatus>('status', {
    defaultValue: { link: 'connecting', lastError: null, connects: 0, resyncs: 0, invalid: 0 },
    persistent: false,
  });
  if (!config.token) {
    const message = `cfg/${nodecg.bundleName}.json has no "token": create a viewer token in Scoredesk (POST /api/viewer-tokens) and put it there`;
    nodecg.log.error(message);
    status.value = { link: 'refused', lastError: message, connects: 0, resyncs: 0, invalid: 0 };
    return;
  }
  const replicants = new Map(
    config.courts.map((court) => [
      court,
      nodecg.Replicant<CourtView>(courtReplicantName(court), { defaultValue: emptyCourtView(court) }),
    ]),
  );
  nodecg.log.info(`following ${config.url} courts ${config.courts.join(', ')}`);
  const link = startLiveLink({
    url: config.url,
    token: config.token,
    courts: config.courts,
    eventsKept: config.eventsKept,
    restored: [...replicants.values()].map((r) => r.value),
    onCourt: (view) => {
      replicants.get(view.court)!.value = view;
    },
    onStatus: (next) => {
      status.value = next;
    },
    log: nodecg.log,
  });
  nodecg.on('serverStopping', () => link.stop());
}
