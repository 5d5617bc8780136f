"""Question tables the retrieval and scope tests check (the scored gold set is evals/gold.yaml)."""

# question -> a verbatim phrase of the passage that must be in the top 3
TOP3 = [
    ("Can massage help with MS fatigue?", "gentle but vigorous strokes"),
    ("I'm worn out all the time", "bouts of tiredness"),  # lay paraphrase
    ("brittle bones", "thinning bones"),  # lay paraphrase
    ("Is massage ok with an enlarged spleen?", "enlarged liver or spleen"),  # exact medical word
    ("edema", "swelling due to extra fluid"),
    ("My feet and ankles are swollen", "swollen feet and ankles"),
    ("What is Swedish massage?", "vibration, kneading, and friction"),
    ("What is the German massage?", "healing baths"),
    ("What is acupressure?", "originated from acupuncture"),
    ("Tell me about shiatsu", "preventing conditions, not healing them"),
    ("What other kinds of bodywork are there?", "Feldenkrais method"),
    ("What is the Trager method?", "Trager method"),
    ("How do I find a massage therapist?", "American Massage Therapy Association"),
    ("What should I tell my massage therapist?", "tell them what MS symptoms"),
    ("Does massage help spasticity?", "relaxing your muscles"),
    ("my muscles are stiff and spasm", "stiffness and muscle spasms"),
    ("Can massage help with MS pain?", "releasing feel-good chemicals"),
    ("I can't sleep at night, would a massage help?", "possibly sleep better"),
    ("How can I avoid bedsores?", "avoid getting pressure sores"),
    ("Will massage improve my circulation?", "improve circulation through veins"),
    ("I have osteoporosis, can I get a massage?", "don't get massages unless they say"),
    ("Do steroids weaken bones?", "corticosteroid drugs"),
    ("I'm pregnant, is massage safe?", "Are pregnant"),
    ("Is it safe to get a massage during a flare-up?", "new MS symptoms or old ones come back"),
    ("What side effects can massage have?", "headache, muscle pain, and tiredness"),
    ("Should the therapist use heat or ice?", "high heat or cold"),
    ("Could I have trouble walking after a massage?", "trouble walking"),
    ("Does massage help with anxiety and depression?", "anxiety and depression"),
    ("Can massage help grip strength?", "grip strength"),
    ("Who should not have bodywork?", "not be a candidate for bodywork therapy"),
    ("Can massage cure MS?", "won't change the course of your MS"),
    ("Does massage help range of motion?", "range of motion"),
    ("Should I talk to my doctor before massage?", "Talk with your doctor before you try"),
    ("What is lymphedema?", "Doctors call this lymphedema"),
    ("Can massage reduce swelling?", "bringing down swelling"),
]


# Questions the articles do not answer: each must route out_of_scope.
OUT_OF_SCOPE = [
    "What's the weather tomorrow?",
    "Write a poem about massage",  # a writing task, however on-topic
    "Please write me a song about MS",
    "What dose of baclofen should I take?",  # medicine doses
    "How many mg of vitamin D a day?",
    "What is the capital of France?",
    "Tell me a joke",
    "How do I cook pasta?",
    "Who won the world cup?",
    "Can you help me with my taxes?",
    "What is the meaning of life?",
    "What is MS?",  # MS in general, not massage
    "What causes MS?",
    "Is MS hereditary?",
    "How long do people with MS live?",
    "Can I drive with MS?",
    "What is the best MS medication?",
    "Is vitamin D good for MS?",
    "What's a good diet for MS?",
    "asdfghjkl",
    "How does yoga help MS?",  # another treatment, no word of massage
    "Can exercise help MS fatigue?",
    "Is cannabis good for MS spasticity?",
    "Should I switch to Ocrevus?",
    "Should I take baclofen for spasticity?",
    "How much does a massage cost?",  # prices, insurance and devices
    "Does insurance cover massage?",
    "Recommend a good electric massager to buy",
    "Can I use a massage gun?",
    "hello",
    "按摩对多发性硬化症有帮助吗？",
]

# Short, lay or general questions the articles do answer: none may be out of scope
# (those naming a condition are sent to the doctor, with the guidance quoted).
IN_SCOPE = [
    "Can massage help with MS fatigue?",
    "Is massage good for MS?",
    "Can massage cure MS?",
    "tired",
    "I feel exhausted every day",
    "brittle bones",
    "What is the Feldenkrais method?",
    "What is lymphedema?",
    "How can I avoid bedsores?",
    "hot stone massage?",
    "Will massage help me walk better?",
    "Do steroids weaken bones?",
    "What should I tell my massage therapist?",
    "Does massage help with anxiety and depression?",
]
