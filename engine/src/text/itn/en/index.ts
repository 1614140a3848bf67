export function inverseNormalizeEn(text: string): string {
  return text;
}
