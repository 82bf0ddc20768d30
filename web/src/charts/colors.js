// Series colours shared by the charts and their legends (readable on white,
// distinguishable with the common colour-vision deficiencies).
export const OUTCOME_COLORS = {
  installed: '#1a7f37',
  failed: '#c62828',
  stuck: '#b26a00',
  rolled_back: '#6a3fb5',
};
export const BAR_COLOR = '#2f5fa7';
export const AXIS_COLOR = '#4a5360';
export const GRID_COLOR = '#e3e6ea';
