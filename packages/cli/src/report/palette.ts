// Colours of the charts, chosen to stay apart for common colour-vision deficiencies; every chart
// also labels its values in text, so colour never carries meaning alone.

export const SEVERITY_NAMES = ['low', 'medium', 'high', 'critical'] as const;
export const SEVERITY_COLORS = ['#6f9fd8', '#e6b32e', '#e07b24', '#b2182b'] as const;

const FAMILY_COLORS: Record<string, string> = {
  'Request threats': '#b2182b',
  Protocol: '#7b3294',
  'Rate and abuse': '#e07b24',
  Data: '#1b9e77',
  'Session and behaviour': '#2166ac',
  Posture: '#6b6b47',
};

export const NEUTRAL = '#777777';
export const ACCENT = '#2166ac';

export function familyColor(family: string): string {
  return FAMILY_COLORS[family] ?? NEUTRAL;
}

/** Risk 0-100 as the severity colour it would have. */
export function riskColor(risk: number): string {
  return SEVERITY_COLORS[risk >= 90 ? 3 : risk >= 70 ? 2 : risk >= 40 ? 1 : 0];
}
