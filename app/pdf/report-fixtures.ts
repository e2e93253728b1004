import type { ReportPdfInput } from "./render.server";

/**
 * Realistic report inputs shared by the PDF tests and scripts/bench-pdf.ts, so
 * the benchmark measures the same documents the tests check.
 */
export const koreanReportInput: ReportPdfInput = {
  locale: "ko",
  name: "김지현",
  date: new Date("2025-03-14T09:30:00+09:00"),
  total: 68,
  level: "practitioner",
  parts: { P1: 75, P2: 69, P3: 56 },
  benchmark: {
    cohortSize: 142,
    minCohort: 25,
    available: true,
    percentile: 71,
    partAverages: { P1: 62, P2: 58, P3: 51 },
  },
  report: {
    summary:
      "업무에서 AI를 꾸준히 활용하며 실질적인 효과를 보고 있는 활용 단계입니다. 특히 생성형 AI의 원리와 한계를 잘 이해하고 있어, 결과물을 그대로 받아들이지 않고 검증하는 습관이 자리 잡혀 있습니다.\n\n다만 조직 차원의 AI 사용 지침과 책임 있는 활용에 대한 준비도는 상대적으로 낮은 편입니다. 개인의 생산성 향상을 팀 전체의 업무 방식 개선으로 넓히려면 보안과 윤리 기준을 함께 갖추는 것이 중요합니다.",
    parts: [
      {
        partId: "P1",
        strengths:
          "생성형 AI가 학습한 패턴에 기반해 답변을 만든다는 점과 환각 가능성을 정확히 이해하고 있습니다. 도구별 용도를 구분해 상황에 맞게 선택할 수 있습니다.",
        gaps: "AI가 잘하는 일과 사람의 판단이 필요한 일의 경계를 더 구체적인 업무 사례로 정리해 두면 판단이 빨라집니다.",
      },
      {
        partId: "P2",
        strengths:
          "문서 작성과 요약에 AI를 정기적으로 사용하고, 첫 결과물을 추가 지시로 다듬는 반복 작업에 익숙합니다.",
        gaps: "프롬프트에 역할, 맥락, 출력 형식을 일관되게 담는 습관을 들이면 결과의 품질 편차를 줄일 수 있습니다.",
      },
      {
        partId: "P3",
        strengths: "기밀 정보와 개인정보를 외부 AI 서비스에 입력하지 않도록 주의하고 있습니다.",
        gaps: "조직의 AI 사용 지침을 확인하고, 저작권과 편향 문제를 점검하는 절차를 업무에 포함할 필요가 있습니다.",
      },
    ],
    nextSteps: [
      "자주 쓰는 프롬프트 세 가지를 역할·맥락·출력 형식을 갖춘 템플릿으로 정리해 보세요.",
      "소속 조직의 AI 사용 지침을 찾아 읽고, 모르는 부분은 담당 부서에 확인하세요.",
      "팀 회의에서 AI로 업무 시간을 줄인 사례 하나를 동료와 공유해 보세요.",
      "AI 결과물을 외부에 사용하기 전 저작권과 편향을 점검하는 체크리스트를 만들어 보세요.",
    ],
  },
  reportAuthor: { source: "llm", model: "gemini-1.5-flash" },
};

export const englishReportInput: ReportPdfInput = {
  locale: "en",
  name: "Alex Morgan",
  date: new Date("2025-03-14T09:30:00+09:00"),
  total: 47,
  level: "explorer",
  parts: { P1: 56, P2: 44, P3: 41 },
  benchmark: {
    cohortSize: 12,
    minCohort: 25,
    available: false,
    percentile: null,
    partAverages: null,
  },
  report: {
    summary:
      "You know the main AI tools and use them now and then, but they are not yet part of your daily routine. Your understanding of how generative AI works is a solid base to build on.",
    parts: [
      {
        partId: "P1",
        strengths:
          "You understand that AI output can be plausible but wrong, and you check what matters.",
        gaps: "Learn which tasks suit chatbots, image generators and coding assistants, so you pick the right tool first time.",
      },
      {
        partId: "P2",
        strengths:
          "You have tried AI for writing and summarising and have seen where it saves time.",
        gaps: "Use AI on one or two recurring tasks every week, and refine its first answer with follow-up instructions.",
      },
      {
        partId: "P3",
        strengths: "You are careful not to paste confidential material into external AI services.",
        gaps: "Find your organisation's AI guidelines and consider copyright and bias before you reuse AI output.",
      },
    ],
    nextSteps: [
      "Pick one weekly report and draft it with AI for the next four weeks.",
      "Write prompts that state the role, the context and the output format you need.",
      "Read your organisation's AI policy and note the rules that apply to your work.",
    ],
  },
  reportAuthor: { source: "fallback" },
};
