import type { Topic } from "./roster.ts";

/*
 * What people say in the demo clinic's sessions, written by the team for this package (no line
 * comes from AnnoMI or any other corpus). Therapist lines are grouped by the MI behaviour they
 * show, client lines by the kind of talk; each pool has lines every programme uses and lines of
 * its own topic. Reflections come in two sets, answering change talk or sustain talk, so a
 * reflection follows something the client could have said.
 */

export const THERAPIST_BEHAVIOURS = [
  "openQuestion",
  "closedQuestion",
  "simpleReflection",
  "complexReflection",
  "affirmation",
  "autonomy",
  "seekCollaboration",
  "givingInformation",
  "persuasion",
  "confrontation",
] as const;
export type TherapistBehaviour = (typeof THERAPIST_BEHAVIOURS)[number];

export const CLIENT_TALK = ["change", "sustain", "neutral"] as const;
export type ClientTalk = (typeof CLIENT_TALK)[number];

interface Pool {
  readonly shared: readonly string[];
  readonly alcohol: readonly string[];
  readonly smoking: readonly string[];
  readonly diet: readonly string[];
}

const OPEN_QUESTIONS: Pool = {
  shared: [
    "How have things been since we last met?",
    "What's been on your mind this week?",
    "What would be different in your life if you made this change?",
    "How do you see things at the moment?",
    "What worries you most when you think about the next few years?",
    "How would you know that things were getting better?",
    "What has helped you make changes in the past?",
    "What do the people close to you say about it?",
    "What makes this feel important now, rather than a year ago?",
    "How did the week go, compared with what you'd planned?",
    "What tends to get in the way when you try?",
    "Tell me about a time you felt more in control of this.",
    "What would a good week look like for you?",
    "What was the hardest moment this week, and how did you handle it?",
  ],
  alcohol: [
    "What does a typical week of drinking look like for you?",
    "What do you get out of drinking?",
    "How does drinking fit in with work and family?",
    "What are the evenings like when you don't have a drink?",
    "How do you feel the morning after a heavy night?",
  ],
  smoking: [
    "When do you find you want a cigarette most?",
    "What do you get from smoking?",
    "How did your last quit attempt go?",
    "What would being a non-smoker mean for you?",
    "How do you think your health would change if you stopped?",
  ],
  diet: [
    "What does a normal day of eating look like for you?",
    "What role does food play when you're stressed?",
    "How do meals work at home with everyone's schedules?",
    "What would eating better give you?",
    "How do you feel after the evenings you snack a lot?",
  ],
};

/** A closed question and the short answers it gets. */
export interface ClosedQuestion {
  readonly question: string;
  readonly answers: readonly string[];
}

interface ClosedQuestionPool {
  readonly shared: readonly ClosedQuestion[];
  readonly alcohol: readonly ClosedQuestion[];
  readonly smoking: readonly ClosedQuestion[];
  readonly diet: readonly ClosedQuestion[];
}

const ask = (question: string, ...answers: string[]): ClosedQuestion => ({ question, answers });

const CLOSED_QUESTIONS: ClosedQuestionPool = {
  shared: [
    ask("Did you manage to stick to the plan this week?", "Mostly, yes.", "Not really, no.", "For the first few days."),
    ask("Is that every day?", "Most days, yes.", "No, mainly weekends.", "Pretty much."),
    ask("Have you tried to stop before?", "Once or twice.", "Yes, a few years ago.", "Not properly, no."),
    ask("Do you think it's a problem?", "Not really, no.", "Maybe a bit.", "Sometimes I do."),
    ask("Are you ready to make a change?", "I don't know.", "I think so.", "Not yet."),
    ask("Did you read the leaflet I gave you?", "Not yet.", "Some of it.", "Yes, I had a look."),
    ask("Is your partner supportive?", "Mostly, yes.", "Not really.", "Yeah, they are."),
    ask("Have you seen your GP about this?", "Not yet.", "Last month, yes.", "No."),
    ask("Was that more or less than last week?", "About the same.", "A bit less, I think.", "More, if I'm honest."),
    ask("Do you work shifts?", "Yes, nights mostly.", "No, nine to five.", "Some weeks."),
    ask("Did you fill in the diary?", "I forgot, sorry.", "Most days, yes.", "Only the first couple of days."),
  ],
  alcohol: [
    ask(
      "How many units would you say you drink in a week?",
      "Maybe twenty or so, I'm not sure.",
      "I've never really counted.",
      "Probably more than I should.",
    ),
    ask("Do you drink on your own?", "Sometimes, yeah.", "Not usually.", "Most nights, yes."),
    ask("Do you ever drink in the morning?", "No, never.", "Only once or twice.", "No."),
    ask("Is it mostly beer or wine?", "Wine, mostly.", "Beer.", "Bit of both."),
    ask("Did you have any alcohol-free days?", "Two, I think.", "Not this week.", "Just the Monday."),
  ],
  smoking: [
    ask(
      "How many cigarettes do you smoke a day?",
      "About fifteen on a work day.",
      "Twenty, roughly.",
      "Ten, maybe less.",
    ),
    ask("Do you smoke within half an hour of waking up?", "Yes, straight away.", "Usually, yeah.", "Not always."),
    ask("Are you using the patches?", "Most days.", "I forgot a couple of times.", "Not yet."),
    ask("Does anyone else at home smoke?", "My partner does.", "No, just me.", "My brother, when he visits."),
    ask("Did you set a quit date?", "Not yet.", "The first of the month.", "I've thought about it."),
  ],
  diet: [
    ask(
      "How many portions of fruit and veg did you have yesterday?",
      "Not as many as I should.",
      "Two, maybe.",
      "None, if I'm honest.",
    ),
    ask("Do you eat breakfast?", "Not usually.", "Just a coffee.", "Some days."),
    ask("How often do you get a takeaway?", "Twice a week, sometimes more.", "Most Fridays.", "More than I'd like."),
    ask("Have you weighed yourself since last time?", "Yes, on Sunday.", "I've been avoiding it.", "Not yet."),
    ask("Do you snack in the evenings?", "Most nights.", "Yeah, in front of the telly.", "Not as much now."),
  ],
};

/** Simple reflections of change talk. */
const SIMPLE_REFLECTIONS_OF_CHANGE: Pool = {
  shared: [
    "You want things to be different.",
    "You're ready to try something new.",
    "It matters to you to feel healthier.",
    "You've started thinking about what you could change.",
    "You'd like to feel more in control.",
    "Your family is a big reason for this.",
    "You noticed a difference already.",
    "You're feeling more hopeful about it.",
    "You want to be a good example for your kids.",
    "You feel better on the days you stick to it.",
  ],
  alcohol: [
    "You'd like to drink less during the week.",
    "You're sleeping better on the nights you don't drink.",
    "The money you spend on drink is bothering you.",
    "You want to remember your evenings.",
    "You're worried about what the liver test showed.",
  ],
  smoking: [
    "You want to be around for your grandchildren.",
    "You're fed up with being out of breath.",
    "You managed a couple of days without smoking.",
    "You want to be a non-smoker by the summer.",
    "The cost of cigarettes is adding up.",
  ],
  diet: [
    "You want more energy for your children.",
    "Your blood sugar result worried you.",
    "Taking a packed lunch has been working.",
    "You'd like to feel comfortable in your own skin.",
    "You've been cooking at home more often.",
  ],
};

/** Simple reflections of sustain talk. */
const SIMPLE_REFLECTIONS_OF_SUSTAIN: Pool = {
  shared: [
    "You're not sure you're ready.",
    "Right now it doesn't feel like a big problem.",
    "It helps you cope with stress.",
    "You've tried before and it didn't stick.",
    "It's part of how you relax.",
    "You don't like being told what to do.",
    "It feels like a lot to change at once.",
    "Things are busy and this is hard to focus on.",
    "You're worried it won't work.",
    "You enjoy it.",
  ],
  alcohol: [
    "A drink after work helps you unwind.",
    "Everyone around you drinks like this.",
    "You don't see yourself as a heavy drinker.",
    "The pub is where you see your friends.",
    "Drinking helps you get to sleep.",
  ],
  smoking: [
    "Smoking is your break at work.",
    "You're worried about putting on weight.",
    "The patches didn't work for you last time.",
    "A cigarette calms you down when things get hectic.",
    "You'd miss your morning cigarette.",
  ],
  diet: [
    "You don't have time to cook after work.",
    "Healthy food feels too expensive.",
    "You've tried a lot of diets.",
    "Food is something you look forward to.",
    "Takeaways are easier when you're tired.",
  ],
};

/** Complex reflections of change talk: they add meaning or go a step beyond what was said. */
const COMPLEX_REFLECTIONS_OF_CHANGE: Pool = {
  shared: [
    "You're starting to see that the way things are isn't the way you want them to be.",
    "Being there for your family means more to you than the short-term relief.",
    "Underneath all of this, you're someone who wants to take care of yourself.",
    "The change you made has shown you it's possible, and that's given you some confidence.",
    "It sounds like you've already decided something has to change, and now it's about how.",
    "You're beginning to trust yourself again.",
    "This isn't just about your health for you, it's about the kind of parent you want to be.",
    "You surprised yourself this week, and you're wondering what else you could do.",
    "You're feeling that this time is different because the reasons are your own.",
    "It sounds like you're more sure of yourself than you were a few weeks ago.",
  ],
  alcohol: [
    "Drinking used to be about fun, and lately it feels more like getting through the evening.",
    "Waking up clear-headed reminded you of the person you were before the drinking crept up.",
    "You're realising the wine has been taking time away from the things you care about.",
    "Seeing your dad's health go downhill has made your own drinking feel a lot more real.",
    "You're proving to yourself that a night in without a drink can still be a good night.",
  ],
  smoking: [
    "Stopping would mean more to you than your lungs, it would be a way of getting your freedom back.",
    "You're beginning to picture yourself as someone who doesn't need a cigarette to get through the day.",
    "Getting through those cravings showed you that you're stronger than the habit.",
    "You don't want your children to grow up thinking smoking is normal.",
    "Being able to walk up the hill without stopping would feel like getting years back.",
  ],
  diet: [
    "This is less about a number on the scales and more about being able to keep up with your kids.",
    "Cooking at home has started to feel like looking after yourself rather than a chore.",
    "You're realising you can enjoy food and still feel good about what you're eating.",
    "Your mum's illness has made the blood sugar result feel like a warning you want to take seriously.",
    "Small changes are adding up, and that's making the bigger goal feel possible.",
  ],
};

/** Complex reflections of sustain talk: double-sided, or reflecting the feeling underneath. */
const COMPLEX_REFLECTIONS_OF_SUSTAIN: Pool = {
  shared: [
    "On the one hand it helps you relax, and on the other hand you're worried about what it's doing to you.",
    "Part of you wants to change and part of you isn't ready to let go yet.",
    "It's been a reliable friend when things got tough, and giving it up feels like a real loss.",
    "You're tired of people telling you what to do, and you want to make up your own mind.",
    "It feels like everyone has an opinion, but you're the one who has to live with it.",
    "You're not convinced it's a problem yet, even though some things are starting to bother you.",
    "You've tried so many times that it's hard to believe this time could be different.",
    "With everything else on your plate, changing this feels like one thing too many right now.",
    "Changing feels risky because you're not sure how you'd manage the stress without it.",
    "It sounds like you're worried that if you try and it doesn't work, you'll feel worse.",
  ],
  alcohol: [
    "Drinking is tied up with your social life, and stopping would mean missing out on your friends.",
    "You don't fit the picture you have of someone with a drinking problem, and yet you're here.",
    "A glass of wine is the one time in the day that feels like your own.",
    "You'd rather cut down than stop, because stopping altogether feels like too much.",
    "The drink helps you sleep, even though you wake up feeling worse.",
  ],
  smoking: [
    "Smoking is the only time at work you get to yourself, so losing it feels like losing the break too.",
    "You've seen people smoke all their lives and be fine, so the warnings don't quite feel real.",
    "You're worried that without cigarettes you'd be short-tempered with the people you love.",
    "Putting on weight feels like swapping one problem for another.",
    "Failing last time has left you wondering if it's worth the disappointment of trying again.",
  ],
  diet: [
    "After a long day, food is the one reward you can count on.",
    "You're worn out by diets that work for a while and then leave you back where you started.",
    "Cooking from scratch sounds good in theory, but at seven o'clock with tired kids it isn't going to happen.",
    "You feel like your weight is something people judge you on, and that makes it hard to talk about.",
    "You'd like to eat better, and it feels unfair that healthy food costs more.",
  ],
};

const AFFIRMATIONS: Pool = {
  shared: [
    "You've worked really hard to get here this week.",
    "It takes courage to talk about this so openly.",
    "You've managed to keep going even when it was hard.",
    "That shows how much you care about your kids.",
    "You've already made some real changes, and that's a big step.",
    "You were able to say no at the party, which wasn't easy.",
    "I appreciate your honesty about how the weekend went.",
    "You've come a long way since our first session.",
    "You clearly care about getting this right.",
    "You're determined to find what works for you.",
    "You've put a lot of thought into this.",
    "You're really committed to your health.",
    "You've done a great job of noticing what sets you off.",
    "That's a real strength, being able to plan ahead like that.",
    "You've been able to stay on track for three weeks now.",
    "It took courage to come back after a difficult week.",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

const AUTONOMY: Pool = {
  shared: [
    "It's up to you what you do with this.",
    "You know yourself best, so you're the one to decide what fits.",
    "Whatever you decide, I'll support you.",
    "It's your choice whether you want to set a goal this week.",
    "You don't have to make any decisions today.",
    "You're the expert on your own life.",
    "Only you can decide if now is the right time.",
    "You get to decide how fast to go.",
    "Some people cut back and some people stop completely, and it's your call.",
    "You're in charge of what happens next.",
    "Nobody can make you change, it really is your decision.",
    "You can decide what feels realistic.",
    "It's your life, and you get to choose the goal.",
    "That's up to you, we can go at your pace.",
    "You know best what will work at home.",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

const SEEK_COLLABORATION: Pool = {
  shared: [
    "Would it be okay if I shared some information about that?",
    "What do you think would be a realistic first step?",
    "How would you like to use the rest of our time?",
    "Where would you like to start?",
    "What would be most helpful to talk about today?",
    "Let's work out a plan together that makes sense to you.",
    "What are your thoughts on what we've talked about?",
    "What ideas do you have for handling the weekend?",
    "Can I share what other people have found helpful?",
    "Would you mind if I made a suggestion?",
    "What would work for you this week?",
    "How does that sound to you?",
    "We can figure out the next step together.",
    "Would you like me to go over some options?",
    "What makes sense to you as a goal?",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

const GIVING_INFORMATION: Pool = {
  shared: [
    "Most people find the first two weeks are the hardest, and then it gets easier.",
    "Cravings usually peak and pass within about twenty minutes.",
    "Keeping a diary for a week can show patterns people don't notice.",
    "The service runs a group on Thursday evenings as well as these sessions.",
    "Stress and poor sleep both make cravings stronger.",
  ],
  alcohol: [
    "The UK guideline is no more than fourteen units a week, spread over three or more days.",
    "A bottle of wine is about ten units.",
    "Regular heavy drinking can raise your blood pressure and affect your sleep.",
    "Having several drink-free days a week gives your liver time to recover.",
    "A pint of strong lager is around three units.",
    "Alcohol is a depressant, so it can make low mood worse over time.",
    "If you've been drinking heavily every day, stopping suddenly can cause withdrawal, so cutting down gradually is safer.",
    "Your GP can arrange blood tests to check your liver function.",
    "Alternating alcoholic drinks with water slows things down.",
    "A bottle of wine has about as many calories as a large meal.",
  ],
  smoking: [
    "Using nicotine replacement with support from a service roughly triples your chances of quitting.",
    "Within a few days of stopping, the carbon monoxide in your blood drops back to normal.",
    "Patches give a steady dose, and gum or an inhalator helps with sudden cravings.",
    "Vaping is substantially less harmful than smoking, though it isn't risk free.",
    "Most withdrawal symptoms ease off within two to four weeks.",
    "Your breath test today showed a carbon monoxide reading of eighteen parts per million.",
    "Varenicline is a tablet your GP can prescribe that reduces cravings.",
    "People often gain a little weight after stopping, usually a few kilos.",
    "After a year without smoking, the risk of heart disease is about half that of a smoker.",
    "Second-hand smoke at home affects children's chests and ears.",
  ],
  diet: [
    "The guidance is at least five portions of fruit and vegetables a day.",
    "A portion of vegetables is about three heaped tablespoons.",
    "Sugary drinks are one of the biggest sources of added sugar for most adults.",
    "Losing five percent of your body weight can make a real difference to blood sugar.",
    "Eating regular meals tends to reduce snacking later in the day.",
    "Food labels use traffic-light colours for fat, sugar and salt.",
    "Wholegrain foods keep you fuller for longer than white bread or pasta.",
    "Adults are advised to have no more than thirty grams of added sugar a day.",
    "Portion sizes have grown a lot over the years, and a smaller plate can help.",
    "Sleep affects appetite, people who sleep badly tend to feel hungrier.",
  ],
};

/** Advice, warnings and arguments given without permission. */
const PERSUASION: Pool = {
  shared: [
    "You really need to set a date and stick to it.",
    "My advice would be to tell your family, so they can keep an eye on you.",
    "I'd strongly recommend you get rid of anything in the house that tempts you.",
    "The best thing you can do is start this week rather than waiting.",
    "It's important that you think about your health before it's too late.",
    "I want you to keep a diary every day until our next session.",
    "I'd suggest you stay away from the places where you usually slip up.",
    "Try to set yourself a clear target for the week, and then stick to it.",
  ],
  alcohol: [
    "I think you should stop drinking on weeknights altogether.",
    "You need to get under fourteen units a week, it's as simple as that.",
    "I'd advise you not to keep any alcohol in the house.",
    "If I were you, I'd switch to low alcohol beer.",
    "I'd really encourage you to stay away from the pub with your work friends for now.",
    "Make sure you have at least three alcohol-free days every week.",
    "The first thing to do is stop drinking on your own in the evenings.",
  ],
  smoking: [
    "I'd recommend you start the patches tomorrow morning.",
    "You need to stop buying cigarettes in multipacks.",
    "The best thing for you would be to quit completely, cutting down doesn't work.",
    "I think you should stop smoking in the car straight away.",
    "If I were you, I'd avoid your smoking friends for the first few weeks.",
    "I'd really recommend the tablets, you should ask your GP this week.",
    "The first thing to do is throw away all your lighters and ashtrays tonight.",
  ],
  diet: [
    "I think you should stop buying crisps and biscuits.",
    "You need to cut out the sugary drinks completely.",
    "I'd really encourage you to cook from scratch every evening.",
    "My advice is to start eating breakfast every day.",
    "I'd recommend you stop the takeaways for a month.",
    "If I were you, I'd weigh myself every morning.",
    "The first thing to do is stop eating after eight o'clock.",
  ],
};

const CONFRONTATION: Pool = {
  shared: [
    "Don't you realise what this is doing to your health?",
    "You're just making excuses.",
    "You can't keep doing this and expect things to get better.",
    "That's not true, you told me last week it was every night.",
    "Face the facts, this is a serious problem.",
    "You need to face up to what's happening.",
    "You're in denial about how much this is affecting you.",
    "Stop making excuses and take some responsibility.",
    "You're going to end up in hospital if you carry on like this.",
    "Honestly, that's irresponsible with children in the house.",
    "You're not listening to what I'm telling you.",
    "How could you go back to it after all the work we did?",
    "You have a problem, and the sooner you admit it the better.",
    "That's ridiculous, waiting another week won't make it any easier.",
  ],
  alcohol: ["A bottle of wine a night is not normal, however you look at it."],
  smoking: ["You're killing yourself with every packet."],
  diet: ["You can't keep eating like this and expect your blood sugar to come down."],
};

const CHANGE_TALK: Pool = {
  shared: [
    "I know I need to do something about it.",
    "I'm tired of feeling like this.",
    "I think I'm ready to give it a proper go this time.",
  ],
  alcohol: [
    "I want to be able to remember the evenings with my kids.",
    "I've noticed I'm sleeping better on the nights I don't drink.",
    "I think I could manage weekdays without a drink.",
    "My liver test scared me, I have to do something.",
    "I'm going to keep the wine out of the house this week.",
    "Last week I had three nights off and it felt good.",
    "I don't want to end up like my dad.",
    "I'd like to get back to running, and I can't do that hungover.",
    "I'm spending far too much money on it.",
    "I told my partner I'd stick to weekends only.",
    "I actually think I can do this if I plan ahead.",
    "My work has been suffering, I'm late more often than I'd like.",
    "I want to stop waking up feeling anxious.",
    "I poured the rest of the bottle away on Saturday.",
    "I'm ready to try the alcohol-free days.",
    "I need to cut down before it gets any worse.",
  ],
  smoking: [
    "I want to be around to see my grandchildren grow up.",
    "I hate the way my clothes smell.",
    "I managed two days without one last week.",
    "I've got the patches and I'm going to start on Monday.",
    "I get out of breath on the stairs and it frightens me.",
    "I'd save nearly three hundred pounds a month.",
    "I don't want my kids to start because they saw me doing it.",
    "I think I can do it this time, I feel more prepared.",
    "I've stopped smoking in the car.",
    "My doctor said my lungs are already showing damage.",
    "I really want to be a non-smoker by the summer.",
    "I threw away the lighter from the kitchen drawer.",
    "I'm going to set my quit date for my birthday.",
    "I want to be able to taste my food again.",
    "I need to stop, my chest has been bad all winter.",
    "The cravings were easier than I expected yesterday.",
  ],
  diet: [
    "I want to be able to play football with my son without getting out of breath.",
    "My blood sugar was high and I need to sort it out.",
    "I've started taking a packed lunch to work.",
    "I think I could swap the fizzy drinks for water.",
    "I cooked at home four nights this week.",
    "I'd like to feel more comfortable in my own skin.",
    "I want to come off the diabetes tablets one day.",
    "I'm going to stop buying biscuits for the house.",
    "I've lost two kilos and I feel lighter already.",
    "I know I can do it, I did it before my wedding.",
    "I don't want to end up with the health problems my mum had.",
    "I've been having breakfast and I'm snacking less.",
    "I need to do this for my knees as much as anything.",
    "I'm ready to plan my meals for the week.",
    "I really want to have more energy in the afternoons.",
    "I had fruit instead of chocolate at work and it was fine.",
  ],
};

const SUSTAIN_TALK: Pool = {
  shared: [
    "You sound just like my partner.",
    "I know, everyone keeps telling me.",
    "That's easy for you to say.",
    "I don't need a lecture.",
  ],
  alcohol: [
    "Everyone I know drinks like this, it's normal.",
    "A glass of wine is the only thing that helps me switch off.",
    "I don't think I drink that much really.",
    "Work is so stressful at the moment, this isn't the time.",
    "I'm not an alcoholic, I never drink in the morning.",
    "My friends would think I was boring if I stopped going to the pub.",
    "I've tried cutting down before and it never lasts.",
    "It helps me sleep.",
    "I enjoy it, why should I give it up?",
    "The weekend is the only time I get to relax.",
    "I only drink beer, it's not like it's spirits.",
    "I can stop any time I want to.",
    "Honestly, I don't see what the big deal is.",
    "If I don't have a drink I just sit there thinking about it.",
  ],
  smoking: [
    "Smoking is the only break I get at work.",
    "My nan smoked till she was ninety.",
    "I'll put on weight if I stop, I know I will.",
    "I've tried patches before and they didn't work.",
    "It calms me down when the kids are driving me mad.",
    "Everyone at work smokes, I'd be on my own.",
    "I don't smoke that many, maybe ten a day.",
    "I'll stop when things settle down.",
    "I enjoy it, it's one of the few things I do for myself.",
    "I switched to rolling tobacco so it's not as bad.",
    "I get really irritable without one.",
    "The damage is probably done already.",
    "I just don't think I have the willpower.",
    "I'd go mad without my morning cigarette.",
  ],
  diet: [
    "I don't have time to cook after work.",
    "Healthy food is too expensive.",
    "I've always been big, it runs in the family.",
    "The kids won't eat vegetables anyway.",
    "I've done every diet going and I always put it back on.",
    "Food is the one thing I look forward to.",
    "I don't eat that badly, it's just portions.",
    "Takeaways are easier when I'm exhausted.",
    "I like a bit of chocolate in the evening, I'm not giving that up.",
    "My partner does the shopping, so it's not really up to me.",
    "I eat when I'm bored, I can't help it.",
    "Salad doesn't fill me up.",
    "I'm too old to change the way I eat now.",
    "There's a biscuit tin on every desk at work.",
  ],
};

const NEUTRAL_TALK: Pool = {
  shared: [
    "I'm not sure.",
    "It's been a busy week with work.",
    "I suppose so.",
    "My sister came to stay on Tuesday.",
    "It depends on the day really.",
    "I hadn't thought about it like that.",
    "Maybe.",
    "That's about right.",
    "We moved house last month, so everything's been a bit upside down.",
    "I work nights on Thursdays and Fridays.",
    "I don't know, I'd have to think about it.",
    "It was my son's birthday at the weekend.",
    "I guess it's been about the same.",
    "I forgot to bring the diary, sorry.",
    "The bus was late so I nearly didn't make it.",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

const FIRST_OPENINGS: Pool = {
  shared: [
    "Thanks for coming in today. What brings you here?",
    "It's good to meet you. How did you come to be referred to us?",
    "Hello, I'm glad you made it. What's been happening that led you here?",
    "Welcome. What would you like to get out of these sessions?",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

const FOLLOW_UP_OPENINGS: Pool = {
  shared: [
    "Good to see you again. How has the week been?",
    "Welcome back. How did things go since last time?",
    "Hello again. Where would you like to start today?",
    "How have you been getting on since we last met?",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

/** How an MI-consistent session ends: a summary, and the client's say in what comes next. */
const SKILLED_CLOSINGS: Pool = {
  shared: [
    "Let me pull together what you've said today: the evenings are the hardest part, your family is the main reason, and you've chosen one change to try this week. Did I miss anything?",
    "So you've settled on a plan that feels realistic to you, and you know what might get in the way. What would you like to do before we next meet?",
    "It sounds like you're clearer today about why this matters to you. How does that sound as a place to finish?",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

/** How a directive session ends: instructions. */
const DIRECTIVE_CLOSINGS: Pool = {
  shared: [
    "Right, so stick to the plan this week and we'll check how you did next time.",
    "Okay, I'll see you next week, and remember what I said about cutting down.",
    "Make sure you keep the diary this week and bring it with you next time.",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

const CLIENT_CLOSINGS: Pool = {
  shared: [
    "Yeah, that sounds right.",
    "Okay, see you next week.",
    "Thanks, I'll give it a go.",
    "Yeah, that's fair. Thanks.",
    "Okay. I'll try.",
  ],
  alcohol: [],
  smoking: [],
  diet: [],
};

function lines(pool: Pool, topic: Topic): readonly string[] {
  return [...pool.shared, ...pool[topic]];
}

/** Everything one programme's sessions draw on. */
export interface TopicLines {
  readonly therapist: Readonly<
    Record<Exclude<TherapistBehaviour, `${string}Reflection` | "closedQuestion">, readonly string[]>
  >;
  readonly closedQuestions: readonly ClosedQuestion[];
  readonly reflections: Readonly<
    Record<"simpleReflection" | "complexReflection", Readonly<Record<"change" | "sustain", readonly string[]>>>
  >;
  readonly client: Readonly<Record<ClientTalk, readonly string[]>>;
  readonly openings: { readonly first: readonly string[]; readonly followUp: readonly string[] };
  readonly closings: {
    readonly skilled: readonly string[];
    readonly directive: readonly string[];
    readonly client: readonly string[];
  };
}

function topicLines(topic: Topic): TopicLines {
  return {
    therapist: {
      openQuestion: lines(OPEN_QUESTIONS, topic),
      affirmation: lines(AFFIRMATIONS, topic),
      autonomy: lines(AUTONOMY, topic),
      seekCollaboration: lines(SEEK_COLLABORATION, topic),
      givingInformation: lines(GIVING_INFORMATION, topic),
      persuasion: lines(PERSUASION, topic),
      confrontation: lines(CONFRONTATION, topic),
    },
    reflections: {
      simpleReflection: {
        change: lines(SIMPLE_REFLECTIONS_OF_CHANGE, topic),
        sustain: lines(SIMPLE_REFLECTIONS_OF_SUSTAIN, topic),
      },
      complexReflection: {
        change: lines(COMPLEX_REFLECTIONS_OF_CHANGE, topic),
        sustain: lines(COMPLEX_REFLECTIONS_OF_SUSTAIN, topic),
      },
    },
    client: {
      change: lines(CHANGE_TALK, topic),
      sustain: lines(SUSTAIN_TALK, topic),
      neutral: lines(NEUTRAL_TALK, topic),
    },
    closedQuestions: [...CLOSED_QUESTIONS.shared, ...CLOSED_QUESTIONS[topic]],
    openings: { first: lines(FIRST_OPENINGS, topic), followUp: lines(FOLLOW_UP_OPENINGS, topic) },
    closings: {
      skilled: lines(SKILLED_CLOSINGS, topic),
      directive: lines(DIRECTIVE_CLOSINGS, topic),
      client: lines(CLIENT_CLOSINGS, topic),
    },
  };
}

export const LINES: Readonly<Record<Topic, TopicLines>> = {
  alcohol: topicLines("alcohol"),
  smoking: topicLines("smoking"),
  diet: topicLines("diet"),
};
