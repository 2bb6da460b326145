/** The venue screen (#/scoreboard): the score and nothing else, readable across a hall. */
import type { ConsoleView } from '../../../contract/api.js';
import { Scoreboard } from './Scoreboard.js';

export function SpectatorBoard({ view }: { view: ConsoleView }) {
  return (
    <div className="spectator" data-testid="spectator">
      {view.snapshot ? (
        <Scoreboard snapshot={view.snapshot} variant="spectator" />
      ) : (
        <div className="spectator-idle">Court {view.info.court ?? ''}</div>
      )}
    </div>
  );
}
