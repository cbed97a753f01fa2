//! Shared pieces of the attack tests (`tests/attack_*.rs`): a [`Scene`] holding a device in each
//! state an instruction needs, one valid [`Call`] of every instruction on it, and the ways to
//! tamper with a call (drop a signature, swap an account, forge an account's owner) and to assert
//! that the tampered call is refused with the exact error and changes nothing (R51, R52). The
//! scene's slash cap is 100%, so that a slash can reach every principal.
use crate::client::device_staking::state::{Params, Role};
use crate::client::{ix, pda, PROGRAM_ID};
use crate::world::{World, DAY, GPUS, HALF, IO, MIN, MULTIPLIER, SHARE};
use crate::{assert_ok, refusal_name, Binary};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// A world with one device in every state the instructions need (see the fields).
pub struct Scene {
    /// The world.
    pub w: World,
    /// The first owner's device (slashing it takes its owner's stake, then position 0): [`MIN`] +
    /// 1,000 tokens staked, [`HALF`] co-staked by co-staker 0 (position 0), one block of rewards
    /// paid (a later block may start at its end), 5 donated tokens in its stake vault.
    pub a: Pubkey,
    /// The second owner's device: [`MIN`] staked and an open offer 0 of [`HALF`] at [`SHARE`].
    pub b: Pubkey,
    /// The first owner's unstaked device: a ripe ticket 0, a ripe position 0 of co-staker 1 and
    /// position 1 of co-staker 2 released into its offer's escrow by `anyone`.
    pub c: Pubkey,
    /// The second owner's device with [`MIN`] staked and nothing else but a proposed transfer to
    /// the first owner.
    pub d: Pubkey,
    /// The second owner's device, registered and empty.
    pub e: Pubkey,
    /// The key proposed as the next admin (not yet accepted); parameters are proposed too.
    pub pending_admin: Keypair,
    /// A wallet with no role and no tokens.
    pub intruder: Keypair,
}

/// One valid call of an instruction in a [`Scene`].
pub struct Call {
    /// The instruction's name.
    pub name: &'static str,
    /// The instruction.
    pub ix: Instruction,
    /// Its signers besides the fee payer.
    pub signers: Vec<Keypair>,
}

impl Call {
    fn new(name: &'static str, ix: Instruction, signers: &[&Keypair]) -> Self {
        Self { name, ix, signers: signers.iter().map(|k| k.insecure_clone()).collect() }
    }

    /// The call with `old` replaced by `new` wherever the instruction lists it (signer and
    /// writable flags kept).
    pub fn with(&self, old: &Pubkey, new: Pubkey) -> Instruction {
        let mut ix = self.ix.clone();
        let mut found = false;
        for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == *old) {
            meta.pubkey = new;
            found = true;
        }
        assert!(found, "{}: {old} is not listed", self.name);
        ix
    }

    /// The signers as the `&Keypair` slice [`Scene::refused`] takes.
    pub fn signer_refs(&self) -> Vec<&Keypair> {
        self.signers.iter().collect()
    }
}

impl Scene {
    /// Builds the scene on a fresh world of `binary`.
    pub fn new(binary: Binary) -> Self {
        // a slash cap of 100% lets a slash reach the positions past the owner's stake
        let params = Params { max_slash_bps_per_30d: 10_000, ..Params::defaults(6).expect("defaults") };
        let mut w = World::new(binary, Some(params));
        let (owner, owner2, costaker1, costaker2) = (w.owner.clone(), w.owner2.clone(), w.costaker(1), w.costaker(2));
        // c first: its ticket and positions ripen after the cooldown the others do not need
        let c = w.staked_device();
        let c0 = w.offer_ok(c, HALF, SHARE);
        w.ok(|w| w.fill(&costaker1, c, c0));
        w.ok(|w| w.cancel(&costaker1, c, c0));
        let c1 = w.offer_ok(c, HALF, SHARE);
        w.ok(|w| w.fill(&costaker2, c, c1));
        w.ok(|w| w.unstake(c));
        let cooldown = w.params().cooldown_secs;
        w.advance(cooldown + 1);
        w.ok(|w| w.release(c, c1));

        let (a, _) = w.costaked_device();
        w.ok(|w| w.stake(a, 1_000 * IO));
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(a, 1_000_000)]));
        let mint = w.mint.mint;
        w.mint_to(&mint, &pda::stake_vault(&a).0, 5);

        let b = w.register_for(&owner2, GPUS, MULTIPLIER);
        w.ok(|w| w.stake(b, MIN));
        w.offer_ok(b, HALF, SHARE);
        let d = w.register_for(&owner2, GPUS, MULTIPLIER);
        w.ok(|w| w.stake(d, MIN));
        w.ok(|w| w.transfer_device(d, owner.pubkey()));
        let e = w.register_for(&owner2, 1, 10_000);

        let pending_admin = w.funded_keypair();
        w.ok(|w| w.propose_role(Role::Admin, pending_admin.pubkey()));
        w.ok(|w| w.update_params(params));
        let intruder = w.funded_keypair();
        // a block may start where the last one paid ended
        w.advance(60);
        Self { w, a, b, c, d, e, pending_admin, intruder }
    }

    /// One valid call of each of the 34 instructions after `initialize`, on the scene's devices.
    /// [`Scene::check_calls_succeed`] proves each would succeed as it is.
    pub fn calls(&self) -> Vec<Call> {
        let w = &self.w;
        let (mint, now) = (&w.mint, w.now());
        let (owner, owner2) = (&w.owner, &w.owner2);
        let (costaker0, costaker1, costaker2) = (&w.costakers[0], &w.costakers[1], &w.costakers[2]);
        let (admin, oracle) = (&w.roles.admin, &w.roles.oracle);
        let (rewarder, slasher, anyone) = (&w.roles.reward_authority, &w.roles.slash_authority, &w.anyone);
        let (a, b, c, d, e) = (self.a, self.b, self.c, self.d, self.e);
        let treasury = w.roles.treasury.pubkey();
        let new_id = [0xEE; 32];
        let last_paid_end = w.device(&a).last_paid_end;
        let block = [w.target(a, 1_000)];
        let escrow_payer = anyone.pubkey();
        vec![
            Call::new("propose_role", ix::propose_role(admin.pubkey(), Role::Oracle, self.intruder.pubkey()), &[admin]),
            Call::new("accept_role", ix::accept_role(self.pending_admin.pubkey(), Role::Admin), &[&self.pending_admin]),
            Call::new("cancel_role", ix::cancel_role(admin.pubkey(), Role::Admin), &[admin]),
            Call::new("revoke_role", ix::revoke_role(admin.pubkey(), Role::Oracle), &[admin]),
            Call::new("set_paused", ix::set_paused(admin.pubkey(), true), &[admin]),
            Call::new("update_params", ix::update_params(admin.pubkey(), Params::defaults(6).unwrap()), &[admin]),
            Call::new("cancel_params", ix::cancel_params(admin.pubkey()), &[admin]),
            Call::new("lower_slash_cap", ix::lower_slash_cap(admin.pubkey(), 5_000), &[admin]),
            Call::new(
                "register_device",
                ix::register_device(owner.pubkey(), oracle.pubkey(), new_id, 1, 10_000, mint),
                &[&owner.key, oracle],
            ),
            Call::new("update_hardware", ix::update_hardware(oracle.pubkey(), a, 8, 100_000), &[oracle]),
            Call::new("set_hired", ix::set_hired(oracle.pubkey(), a, now + DAY), &[oracle]),
            Call::new("terminate", ix::terminate(oracle.pubkey(), a), &[oracle]),
            Call::new("stake", ix::stake(owner.pubkey(), a, owner.token, 1, mint), &[&owner.key]),
            Call::new("create_offer", ix::create_offer(owner2.pubkey(), d, 0, HALF, SHARE), &[&owner2.key]),
            Call::new("retract_offer", ix::retract_offer(owner2.pubkey(), b, 0, owner2.pubkey()), &[&owner2.key]),
            Call::new(
                "fill_offer",
                ix::fill_offer(costaker2.pubkey(), b, 0, HALF, SHARE, costaker2.token, mint),
                &[&costaker2.key],
            ),
            Call::new("withdraw_overflow", ix::withdraw_overflow(owner.pubkey(), a, owner.token, 1, mint), &[&owner.key]),
            Call::new("claim_rewards", ix::claim_rewards(costaker0.pubkey(), a, 0, costaker0.token, mint), &[&costaker0.key]),
            Call::new("cancel_costake", ix::cancel_costake(costaker0.pubkey(), a, 0), &[&costaker0.key]),
            Call::new("unstake", ix::unstake_for(owner.pubkey(), a, &w.device(&a)), &[&owner.key]),
            Call::new(
                "withdraw_ticket",
                ix::withdraw_ticket(anyone.pubkey(), c, owner.pubkey(), 0, owner.pubkey(), owner.token, mint),
                &[anyone],
            ),
            Call::new(
                "withdraw_position",
                ix::withdraw_position(anyone.pubkey(), c, 0, costaker1.pubkey(), owner.pubkey(), costaker1.token, mint),
                &[anyone],
            ),
            Call::new("release", ix::release(anyone.pubkey(), c, 0, mint), &[anyone]),
            Call::new(
                "withdraw_escrow",
                ix::withdraw_escrow(costaker2.pubkey(), c, 1, costaker2.token, owner.pubkey(), escrow_payer, mint),
                &[&costaker2.key],
            ),
            Call::new(
                "distribute_rewards",
                ix::distribute_rewards(rewarder.pubkey(), w.reward_source, 2, last_paid_end, now, &block, mint),
                &[rewarder],
            ),
            Call::new("slash", ix::slash(slasher.pubkey(), a, treasury, self.past_owner_stake(), now, mint), &[slasher]),
            Call::new("hold", ix::hold(slasher.pubkey(), a, now + DAY), &[slasher]),
            Call::new("sweep_surplus", ix::sweep_surplus(admin.pubkey(), a, w.treasury_token, mint), &[admin]),
            Call::new(
                "close_device",
                ix::close_device(owner2.pubkey(), e, w.treasury_token, owner2.pubkey(), mint),
                &[&owner2.key],
            ),
            Call::new("close_profile", ix::close_profile(costaker1.pubkey(), costaker1.pubkey()), &[&costaker1.key]),
            Call::new("transfer_device", ix::transfer_device(owner2.pubkey(), d, costaker0.pubkey()), &[&owner2.key]),
            Call::new("cancel_transfer", ix::cancel_transfer(owner2.pubkey(), d), &[&owner2.key]),
            Call::new("accept_device", ix::accept_device(owner.pubkey(), d), &[&owner.key]),
            Call::new("device_status", ix::device_status(a), &[]),
        ]
    }

    /// An amount that a slash of device `a` takes from its owner's stake and then from position 0.
    pub fn past_owner_stake(&self) -> u64 {
        self.w.device(&self.a).owner_stake + IO
    }

    /// The call of the instruction `name`.
    pub fn call(&self, name: &str) -> Call {
        self.calls().into_iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no call {name}"))
    }

    /// Asserts that every call of [`Scene::calls`] would succeed as it is (simulated, nothing
    /// changes): a refusal of a tampered call is then the tampering's doing.
    pub fn check_calls_succeed(&mut self) {
        for call in self.calls() {
            let result = self.w.env.simulate(std::slice::from_ref(&call.ix), &call.signer_refs());
            assert!(result.is_ok(), "the valid {} call fails: {:?}", call.name, result.err().map(|f| (refusal_name(&f), f.logs)));
        }
    }

    /// Sends `ixs` signed by `signers` and asserts that they were refused with `error` (an
    /// Anchor name or [`refusal_name`]), that no account of the world nor of `extra` changed, and
    /// that R52 still holds on every device.
    pub fn refused(&mut self, error: &str, ixs: &[Instruction], signers: &[&Keypair], extra: &[Pubkey]) {
        self.refused_as("", error, ixs, signers, extra);
    }

    /// [`Scene::refused`], naming `label` (what was tampered with) when it fails.
    pub fn refused_as(&mut self, label: &str, error: &str, ixs: &[Instruction], signers: &[&Keypair], extra: &[Pubkey]) {
        self.refused_unchecked(label, error, ixs, signers, extra);
        self.w.check_all();
    }

    /// [`Scene::refused_as`] without the R52 check (for a scene with a forged account).
    fn refused_unchecked(&mut self, label: &str, error: &str, ixs: &[Instruction], signers: &[&Keypair], extra: &[Pubkey]) {
        let mut watched = self.w.all_accounts();
        watched.extend_from_slice(extra);
        let before = self.w.snapshot(&watched);
        let result = self.w.env.send(ixs, signers);
        let fail = match &result {
            Ok(ok) => panic!("{label}: expected {error}, but it succeeded; logs:\n{}", ok.logs.join("\n")),
            Err(fail) => fail,
        };
        assert_eq!(refusal_name(fail), error, "{label}; logs:\n{}", fail.logs.join("\n"));
        assert!(self.w.snapshot(&watched) == before, "{label}: a transaction refused with {error} changed an account");
    }

    /// [`Scene::refused`] for one tampered instruction of `call`, signed by the call's signers.
    pub fn refused_call(&mut self, error: &str, call: &Call, ix: Instruction) {
        let label = format!("tampered {} {:?}", call.name, ix.accounts.iter().map(|m| m.pubkey.to_string()).collect::<Vec<_>>());
        self.refused_as(&label, error, &[ix], &call.signer_refs(), &[]);
    }

    /// Sends `ixs` signed by `signers`, asserts success and R52 on every device.
    pub fn ok(&mut self, ixs: &[Instruction], signers: &[&Keypair]) {
        assert_ok(&self.w.env.send(ixs, signers));
        self.w.check_all();
    }

    /// Rewrites the owner of the account at `address` to `owner` (keeping its bytes and
    /// lamports), asserts that `call` is then refused with `error` and changes nothing, puts the
    /// account back and checks R52.
    pub fn refused_while_owned_by(&mut self, address: &Pubkey, owner: Pubkey, error: &str, call: &Call) {
        let original = self.w.account(address);
        let forged = solana_account::Account { owner, ..original.clone() };
        self.w.svm.set_account(*address, forged).expect("set_account");
        let label = format!("{} with {address} owned by {owner}", call.name);
        self.refused_unchecked(&label, error, std::slice::from_ref(&call.ix), &call.signer_refs(), &[]);
        self.w.svm.set_account(*address, original).expect("set_account");
        self.w.check_all();
    }

    /// A token account of the staking mint owned by `owner` at a new address, holding `amount`.
    pub fn token_account(&mut self, owner: &Pubkey, amount: u64) -> Pubkey {
        let mint = self.w.mint.mint;
        let account = self.w.create_token_account(owner, &mint);
        if amount > 0 {
            self.w.mint_to(&mint, &account, amount);
        }
        account
    }
}

/// A system transfer of `lamports` from `from` to `to` (a donation).
pub fn donate_lamports(from: &Pubkey, to: &Pubkey, lamports: u64) -> Instruction {
    system_instruction::transfer(from, to, lamports)
}

/// `ix` with the signer flag of `key` cleared (the key no longer signs).
pub fn without_signature(ix: &Instruction, key: &Pubkey) -> Instruction {
    let mut ix = ix.clone();
    ix.accounts.iter_mut().filter(|m| m.pubkey == *key).for_each(|m| m.is_signer = false);
    ix
}

/// Runs `body` on a fresh [`Scene`] of each binary, after checking that its calls succeed.
pub fn for_each_scene(mut body: impl FnMut(&mut Scene)) {
    for binary in Binary::ALL {
        let mut scene = Scene::new(binary);
        scene.check_calls_succeed();
        body(&mut scene);
    }
}

/// The program accounts (owned by this program) that `ix` lists, in order, without repeats.
pub fn program_accounts(scene: &Scene, ix: &Instruction) -> Vec<Pubkey> {
    let mut out: Vec<Pubkey> = Vec::new();
    for meta in &ix.accounts {
        let owned = scene.w.svm.get_account(&meta.pubkey).is_some_and(|a| a.owner == PROGRAM_ID && a.lamports > 0);
        if owned && !out.contains(&meta.pubkey) {
            out.push(meta.pubkey);
        }
    }
    out
}
