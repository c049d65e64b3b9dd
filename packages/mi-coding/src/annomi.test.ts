import { describe, expect, it } from "vitest";
import { parseAnnoMi } from "./annomi.ts";

// A made-up file in AnnoMI's column layout (no AnnoMI text is used in tests).
const CSV = `mi_quality,transcript_id,video_title,video_url,topic,utterance_id,interlocutor,timestamp,utterance_text,annotator_id,therapist_input_exists,therapist_input_subtype,reflection_exists,reflection_subtype,question_exists,question_subtype,main_therapist_behaviour,client_talk_type
low,7,t,u,smoking,1,client,00:00:02,"I smoke, yes.",1,n/a,n/a,n/a,n/a,n/a,n/a,n/a,sustain
low,7,t,u,smoking,0,therapist,00:00:01,Do you smoke?,1,False,n/a,False,n/a,True,closed,question,n/a
low,7,t,u,smoking,2,therapist,00:00:03,You smoke.,1,False,n/a,True,simple,False,n/a,reflection,n/a
high,9,t,u,diet,0,therapist,00:00:01,Eating less sugar can help.,1,True,information,False,n/a,False,n/a,therapist_input,n/a
`;

describe("parseAnnoMi", () => {
  it("groups rows into sessions in utterance order, with labels mapped", () => {
    const sessions = parseAnnoMi(CSV);
    expect(sessions.map((session) => [session.id, session.quality, session.utterances.length])).toEqual([
      ["7", "low", 3],
      ["9", "high", 1],
    ]);
    expect(sessions[0]?.utterances).toEqual([
      { speaker: "therapist", text: "Do you smoke?", therapist: "question" },
      { speaker: "client", text: "I smoke, yes.", client: "sustain" },
      { speaker: "therapist", text: "You smoke.", therapist: "reflection", reflection: "simple" },
    ]);
    expect(sessions[1]?.utterances[0]).toEqual({
      speaker: "therapist",
      text: "Eating less sugar can help.",
      therapist: "input",
      input: "information",
    });
  });
});
