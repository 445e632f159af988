//! Deterministic inventories for the matrix benchmark: agencies that each hold a few
//! registers (subjects), needs naming a provider and asking for items of its registers,
//! offers of an agency's own registers — written the way agencies write them, with Arabic
//! ي/ك, half-spaces or spaces, hamza and ezafe variants, stray punctuation and bidi marks.

use serde_json::{Value, json};

/// A small xorshift generator: the same inventories on every run and machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ATTRIBUTES: [&str; 14] = [
    "وضعیت",
    "تاریخ صدور",
    "تاریخ انقضای",
    "شماره",
    "نوع",
    "مبلغ",
    "مرجع صادرکننده",
    "نام دارنده",
    "نشانی",
    "تعداد",
    "ارزش",
    "رئیس",
    "کد رهگیری",
    "نتیجه بازرسی",
];

const SUBJECTS: [&str; 40] = [
    "کارت بازرگانی",
    "پروانه بهره‌برداری",
    "مجوز زیست‌محیطی",
    "ثبت سفارش",
    "گواهی انطباق",
    "اظهارنامه صادراتی",
    "پروانه کسب",
    "گواهی بهداشت",
    "پروانه بهداشتی",
    "بارنامه دریایی",
    "تعهد ارزی",
    "چک برگشتی",
    "بدهی مالیاتی",
    "شرکت ثبت‌شده",
    "هیئت مدیره",
    "مؤسسه غیرتجاری",
    "واحد صنفی",
    "محموله وارداتی",
    "سهمیه کالای اساسی",
    "نماد اعتماد",
    "شهرک صنعتی",
    "پروانه اکتشاف",
    "گواهی مبدأ",
    "قرنطینه گیاهی",
    "فرآورده دامی",
    "پلاک ثبتی",
    "سرمایه‌گذاری خارجی",
    "تسهیلات بانکی",
    "بیمه‌نامه صادراتی",
    "علامت استاندارد",
    "کالای مکشوفه",
    "شکایت مصرف‌کننده",
    "پروانه ساخت",
    "عوارض گمرکی",
    "انبار عمومی",
    "ناوگان حمل",
    "ترانزیت کالا",
    "منطقه آزاد",
    "واحد تولیدی",
    "نشان تجاری",
];

/// Registers are kept per province: the same item of two provinces is two items.
const PROVINCES: [&str; 31] = [
    "تهران",
    "اصفهان",
    "فارس",
    "خراسان رضوی",
    "آذربایجان شرقی",
    "آذربایجان غربی",
    "اردبیل",
    "البرز",
    "ایلام",
    "بوشهر",
    "چهارمحال و بختیاری",
    "خراسان جنوبی",
    "خراسان شمالی",
    "خوزستان",
    "زنجان",
    "سمنان",
    "سیستان و بلوچستان",
    "قزوین",
    "قم",
    "کردستان",
    "کرمان",
    "کرمانشاه",
    "کهگیلویه و بویراحمد",
    "گلستان",
    "گیلان",
    "لرستان",
    "مازندران",
    "مرکزی",
    "هرمزگان",
    "همدان",
    "یزد",
];

/// Concept `index` as some agency would type it today.
pub fn spelled(rng: &mut Rng, index: usize) -> String {
    let attribute = ATTRIBUTES[index % ATTRIBUTES.len()];
    let rest = index / ATTRIBUTES.len();
    let subject = SUBJECTS[rest % SUBJECTS.len()];
    let province = PROVINCES[rest / SUBJECTS.len() % PROVINCES.len()];
    let mut name = format!("{attribute} {subject} استان {province}");
    if rng.chance(30) {
        name = name.replace('ی', "ي").replace('ک', "ك");
    }
    if rng.chance(20) {
        name = name.replace('\u{200c}', " ");
    }
    if rng.chance(10) {
        name = name
            .replace("هیئت", "هیأت")
            .replace("مؤسسه", "موسسه")
            .replace("رئیس", "رییس")
            .replace("انقضای", "انقضاء");
    }
    if rng.chance(5) {
        name = format!("\u{200f}{name}:");
    }
    name
}

pub fn concepts() -> usize {
    ATTRIBUTES.len() * SUBJECTS.len() * PROVINCES.len()
}

fn code(agency: usize) -> String {
    format!("AG{agency:02}")
}

pub fn codes(agencies: usize) -> Vec<String> {
    (0..agencies).map(code).collect()
}

/// A concept agency `a` holds: its band of 1,200 of the 17,360, which overlaps its
/// neighbours' (each item is held by about two agencies).
fn held(rng: &mut Rng, agency: usize) -> usize {
    (agency * 560 + rng.below(1200)) % concepts()
}

const KEYS: [&str; 8] = [
    "national_id",
    "legal_entity_national_id",
    "commercial_card_no",
    "customs_declaration_no",
    "iran_code",
    "licence_no",
    "order_registration_no",
    "other",
];

fn items(rng: &mut Rng, holder: usize) -> Vec<Value> {
    (0..2 + rng.below(5))
        .map(|_| {
            let concept = held(rng, holder);
            json!({"name": spelled(rng, concept), "datatype": "string"})
        })
        .collect()
}

/// One agency's inventory: `needs` needs and `offers` offers.
pub fn inventory(
    rng: &mut Rng,
    agency: usize,
    agencies: usize,
    needs: usize,
    offers: usize,
) -> Value {
    let needs: Vec<Value> = (0..needs)
        .map(|n| {
            let provider = (agency + 1 + rng.below(agencies - 1)) % agencies;
            let named = if rng.chance(5) { "unknown".to_string() } else { code(provider) };
            json!({"title": format!("نیاز {n}"), "provider_agency": named, "data_items": items(rng, provider), "lookup_keys": [KEYS[rng.below(KEYS.len())]]})
        })
        .collect();
    let offers: Vec<Value> = (0..offers)
        .map(|n| {
            let consumers = if rng.chance(30) {
                json!("any_with_legal_basis")
            } else {
                json!((0..3 + rng.below(6)).map(|_| code(rng.below(agencies))).collect::<Vec<_>>())
            };
            json!({"title": format!("عرضه {n}"), "consumer_agencies": consumers, "data_items": items(rng, agency), "lookup_keys": [KEYS[rng.below(KEYS.len())]], "source_register": {"system_name": "سامانه", "is_authoritative_master": rng.chance(50)}})
        })
        .collect();
    json!({"needs": needs, "offers": offers})
}
