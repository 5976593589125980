// The main job's flags (npm start, examples/main.mjs): `--quick` and EPOCHS=1 make every chapter
// short, the full run prints its plan and an estimate of its time first (examples/plan.mjs).
import { describe, expect, test } from 'vitest';
// @ts-expect-error: plain JS module, the main job's plan
import { IMAGE_VARIANT_COST, SEED, VARIANT_COST, denseMacs, describePlan, estimateSeconds, parseMainArgs } from '../../examples/plan.mjs';
// @ts-expect-error: plain JS module, the lab itself
import { DEFAULTS, QUICK, VARIANTS, parseLabArgs } from '../../examples/lab.mjs';

interface Plan { help: boolean; quick: boolean; seedEpochs: number; lab: { chapters: string[]; epochs: number; imageEpochs: number; units: number; variants: string[]; imageVariants: string[]; train: number; val: number; out: string | null } }
interface Estimate { seed: number; convnet: number; lab: number; images: number; text: number; overhead: number; total: number }
const parse = (argv: string[], env: Record<string, string> = {}): Plan => parseMainArgs(argv, env) as Plan;
const estimate = (plan: Plan, rate: number): Estimate => estimateSeconds(plan, rate) as Estimate;
/** The training rate measured on this 2-core machine (examples/plan.mjs's calibration, threads build): 25–30 GMAC/s. */
const RATE_HERE = 25e9;

describe('flags', () => {
  test('the full run: the seed model for 5 epochs, the whole lab at its defaults', () => {
    const plan = parse([]);
    expect(plan).toMatchObject({ help: false, quick: false, seedEpochs: 5 });
    expect(plan.lab).toMatchObject({ epochs: 60, units: 512, variants: DEFAULTS.variants, chapters: ['mlp', 'images', 'text'], imageEpochs: 30, imageVariants: DEFAULTS.imageVariants, textEpochs: 30, textVariants: DEFAULTS.textVariants });
  });

  test('--quick: every variant, a narrower network and fewer epochs; explicit flags win', () => {
    expect(QUICK).toEqual({ units: 256, epochs: 20, imageEpochs: 8, textEpochs: 6 });
    const plan = parse(['--quick']);
    expect(plan.quick).toBe(true);
    expect(plan.seedEpochs).toBe(SEED.epochs);
    expect(plan.lab).toMatchObject({ units: 256, epochs: 20, imageEpochs: 8, textEpochs: 6, train: 1000, val: 1000, chapters: ['mlp', 'images', 'text'] });
    expect(plan.lab.variants).toEqual((VARIANTS as { id: string }[]).map((v) => v.id));
    expect(parse(['--epochs', '30', '--quick']).lab).toMatchObject({ units: 256, epochs: 30 });
    expect(parse(['--quick', '--units=64']).lab).toMatchObject({ units: 64, epochs: 20 });
    expect(parseLabArgs(['--quick', '--variants', 'l2']).variants).toEqual(['l2']);
  });

  test('EPOCHS=N sets both chapters\' epochs; --epochs still sets the lab\'s', () => {
    expect(parse([], { EPOCHS: '1' })).toMatchObject({ seedEpochs: 1, convnet: { epochs: 1, train: 8000 }, lab: { epochs: 1, imageEpochs: 1, units: 512 } });
    expect(parse(['--image-epochs', '4'], { EPOCHS: '1' }).lab).toMatchObject({ epochs: 1, imageEpochs: 4 });
    expect(parse(['--quick'])).toMatchObject({ convnet: { epochs: 1, train: 2000 } });
    expect(parse([])).toMatchObject({ convnet: { epochs: 12, train: 8000 } });
    expect(parse(['--epochs', '3'], { EPOCHS: '1' })).toMatchObject({ seedEpochs: 1, lab: { epochs: 3 } });
    expect(parse(['--quick'], { EPOCHS: '2' })).toMatchObject({ seedEpochs: 2, lab: { epochs: 2, units: 256 } });
    expect(parse([], { EPOCHS: '' }).seedEpochs).toBe(5);
  });

  test('bad values are refused with what is wrong', () => {
    expect(() => parse([], { EPOCHS: '0' })).toThrow('EPOCHS must be an integer ≥ 1, got 0');
    expect(() => parse([], { EPOCHS: 'one' })).toThrow('EPOCHS must be an integer ≥ 1, got one');
    expect(() => parse(['--quick=yes'])).toThrow('Option --quick takes no value, got --quick=yes');
    expect(() => parse(['--qiuck'])).toThrow(/^Unknown option --qiuck\nUsage:/);
    expect(parse(['--help']).help).toBe(true);
  });
});

describe('estimate', () => {
  test('counts the dense layers\' multiply-adds', () => {
    expect(denseMacs([784, 512, 512, 10])).toBe(784 * 512 + 512 * 512 + 512 * 10);
    expect(denseMacs([784, 64, 10])).toBe(50_816);
  });

  test('the quick and EPOCHS=1 runs are estimated under a minute at this machine\'s rate, the full run over it', () => {
    const full = estimate(parse([]), RATE_HERE);
    const quick = estimate(parse(['--quick']), RATE_HERE);
    const one = estimate(parse([], { EPOCHS: '1' }), RATE_HERE);
    for (const e of [full, quick, one]) expect(e.total).toBeCloseTo(e.seed + e.convnet + e.lab + e.images + e.text + e.overhead, 9);
    expect(quick.total).toBeLessThan(45);
    expect(one.total).toBeLessThan(25);
    expect(full.total).toBeGreaterThan(60);
    expect(full.total).toBeLessThan(260);
    // Twice the rate, half the compute time; the fixed overhead stays.
    const fast = estimate(parse([]), 2 * RATE_HERE);
    expect(fast.lab).toBeCloseTo(full.lab / 2, 6);
    expect(Object.keys(VARIANT_COST).sort()).toEqual(DEFAULTS.variants.slice().sort());
    expect(Object.keys(IMAGE_VARIANT_COST).sort()).toEqual(DEFAULTS.imageVariants.slice().sort());
    // The image chapter: within its 90 s budget at the defaults, a few seconds with --quick; not
    // counted when it does not run.
    expect(full.images).toBeGreaterThan(20);
    expect(full.images).toBeLessThan(90);
    expect(quick.images).toBeLessThan(full.images / 3);
    expect(estimate(parse(['--chapters', 'mlp']), RATE_HERE).images).toBe(0);
    expect(estimate(parse(['--chapters', 'images']), RATE_HERE).lab).toBe(0);
    // The text chapter: within its 90 s budget, a few seconds with --quick, EPOCHS=1 sets its epochs.
    expect(full.text).toBeGreaterThan(10);
    expect(full.text).toBeLessThan(90);
    expect(quick.text).toBeLessThan(full.text / 3);
    expect(parse([], { EPOCHS: '1' }).lab).toMatchObject({ textEpochs: 1 });
    expect(estimate(parse(['--chapters', 'mlp,images']), RATE_HERE).text).toBe(0);
    expect(estimate(parse(['--chapters', 'text', '--text-variants', 'baseline']), RATE_HERE).text).toBeCloseTo(full.text / 5, 6);
  });

  test('the printed plan names both chapters with their times, and the quick run when the full one is long', () => {
    const plan = parse([]);
    const text = describePlan(plan, estimate(plan, RATE_HERE), { build: 'threads', threadCount: 2 }) as string;
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^kerasm main job: about \d+ s on this machine \(build threads, 2 threads; estimated from a short calibration\)$/);
    expect(lines[1]).toMatch(/^ {2}1\. seed model: 784-64-10, 5 epochs on 8,000 MNIST digits, tested on 2,000 +~\d+\.\d s$/);
    expect(lines[2]).toMatch(/^ {2}2\. simple MNIST convnet: conv 32, conv 64 \(3×3\), 12 epochs on 8,000 digits, tested on 2,000 +~\d+(\.\d)? s$/);
    expect(lines[3]).toMatch(/^ {2}3\. overfitting lab: 784-512-512-10, all 7 variants × up to 60 epochs on 1,000 digits +~\d+ s$/);
    expect(lines[4]).toMatch(/^ {2}4\. lab, image chapter: a convnet \(conv 16, conv 32, dense 128\), all 7 variants × 30 epochs on the same digits +~\d+ s$/);
    expect(lines[5]).toMatch(/^ {2}5\. lab, text chapter: an LSTM \(64 units\) on mails, all 5 variants × 30 epochs on 400 SpamAssassin mails +~\d+ s$/);
    expect(text).toContain('report: lab-report.html');
    expect(text).toContain('npm start -- --quick');
    const quick = parse(['--quick', '--variants', 'baseline,l2', '--out', '']);
    const short = describePlan(quick, estimate(quick, RATE_HERE), { build: 'simd', threadCount: 1 }) as string;
    expect(short).toMatch(/^kerasm main job \(--quick\): about \d+ s on this machine \(build simd, 1 thread;/);
    expect(short).toContain('2 variants (baseline, l2) × 20 epochs');
    expect(short).toContain('image chapter: a convnet (conv 16, conv 32, dense 128), all 7 variants × 8 epochs');
    const images = parse(['--chapters', 'images', '--image-variants', 'augmentation']);
    const only = describePlan(images, estimate(images, RATE_HERE), { build: 'simd', threadCount: 1 }) as string;
    expect(only).not.toContain('overfitting lab: 784');
    expect(only).toMatch(/\n {2}3\. lab, image chapter: a convnet \(conv 16, conv 32, dense 128\), 1 variant \(augmentation\) × 30 epochs/);
    expect(short).toContain('report: none');
    expect(short).not.toContain('A run under a minute');
  });
});
