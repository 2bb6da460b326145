/**
 * Test-only NodeCG bundle (integrations/nodecg/nodecg.test.ts): reads the scoredesk
 * bundle's replicants as any other bundle would (NodeCG's server API) and serves them
 * over HTTP, with every value each one took since NodeCG started, so a test can check
 * that no value ever held an event twice or went back.
 *
 * GET /scoredesk-probe/replicants/:name -> {value, history}
 * Config (cfg/scoredesk-probe.json): {"replicants": ["court:1", "status"]}.
 */
'use strict';

/** The scoredesk bundle's replicant namespace (its bundle name). */
const NAMESPACE = 'scoredesk';

module.exports = function probe(nodecg) {
  const watched = new Map();
  for (const name of nodecg.bundleConfig.replicants || []) {
    const replicant = nodecg.Replicant(name, NAMESPACE, {});
    const history = [];
    replicant.on('change', (value) => history.push(JSON.parse(JSON.stringify(value ?? null))));
    watched.set(name, { replicant, history });
  }
  const router = nodecg.Router();
  router.get('/scoredesk-probe/replicants/:name', (req, res) => {
    const entry = watched.get(req.params.name);
    if (!entry) return res.status(404).json({ error: `not watched: ${req.params.name}` });
    res.json({ value: entry.replicant.value ?? null, history: entry.history });
  });
  nodecg.mount(router);
};
